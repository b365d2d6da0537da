"""What the customer says about the item, for the policy's checks.

Each statement is a fact the rules can use when the order data does not say:
"I opened it", "custom keycaps with my name on them", "bought in the final
sale", "it says delivered but I never got it".  Patterns look at the
customer's new text only (what they quote from earlier mail is not what
they say now), in the languages Keysme's customers write: en, de, fr, es,
it, nl, pt, pl, and the plainest phrases in ja and zh.

A claim in the subject counts unless the body takes it back ("DEFECTIVE"
... "ok, defective is the wrong word").
"""

from __future__ import annotations

import re

# Japanese and Chinese have no spaces: their phrases are matched without \b.
_CJK_OPENED = r"開封しました|開封した|開封済み|使用しました|使いました|使ってみ|取り付けました|装着しました|" \
              r"已拆封|拆封了|打开了|用了|使用了|安装了|装上了"

STATEMENTS: dict[str, re.Pattern] = {
    "opened": re.compile(
        r"\b(opened|unsealed|unboxed|used (it|them)(?! to)|tried (it|them)( out| on)?|installed|"
        r"typed on|typing on|mounted|put (it|them) on|been using|i('ve| have)? used (it|them|the (keycaps?|keyboard|switch(es)?|set|board))\b|after using|using (it|them) for|"
        r"had (it|them) on my (board|keyboard|desk)|on my (board|keyboard) for|swapped (it|them) (in|on)|"
        r"washed|lubed|took (it|them) (out|off)|broke the seal|removed the (shrink ?)?wrap|"
        # de
        r"ausgepackt|geöffnet|aufgemacht|benutzt|verwendet|ausprobiert|eingebaut|installiert|montiert|"
        r"getippt|gewaschen|drauf gehabt|im einsatz|genutzt|in gebrauch|"
        r"(hatte|habe) (sie|es|ihn|die \w+) .{0,25}(auf|an) (meinem|meiner|dem|der) (board|tastatur|keyboard)|"
        # fr
        r"ouverte?s?|utilisée?s?|essayée?s?|installée?s?|montée?s?|lavée?s?|déballée?s?|tapé avec|"
        # es
        r"abiert[oa]s?|usad[oa]s?|utilizad[oa]s?|probad[oa]s?|instalad[oa]s?|montad[oa]s?|lavad[oa]s?|"
        r"desembalad[oa]s?|los usé|las usé|lo usé|la usé|"
        # it
        r"apert[oaie]|usat[oaie]|utilizzat[oaie]|provat[oaie]|installat[oaie]|montat[oaie]|lavat[oaie]|"
        # nl
        r"geopend|gebruikt|geprobeerd|geïnstalleerd|gemonteerd|gewassen|uitgepakt|"
        # pt
        r"abert[oa]s?|utilizad[oa]s?|experimentei|instalei|montei|lavei|abri|usei|"
        # pl
        r"otworzył[ae]m|otwarte|otwarty|używał[ae]m|używane|zainstalował[ae]m|zamontował[ae]m|"
        r"umył[ae]m|wypróbował[ae]m|rozpakował[ae]m)\b"
        rf"|{_CJK_OPENED}"),
    # Only a plain statement that it was never opened: "I put it back in the
    # original box" is said of opened items too.
    "unopened": re.compile(
        r"\b(unopened|never (been )?(opened|used)|not (been )?opened|still (factory )?(sealed|in (its|the|their) "
        r"(original )?(shrink ?)?(wrap|wrapping|packaging|plastic))|in the shrink ?wrap|"
        r"(have|has)n'?t (even )?(been )?opened|(did|do) ?n[o']t (even )?open|brand new,? (and )?untouched|"
        r"ungeöffnet|originalverpackt|noch verschweißt|noch in (der )?folie|nicht geöffnet|nie geöffnet|"
        r"non ouverte?s?|pas ouverte?s?|jamais ouverte?s?|encore (sous (blister|film)|scellée?s?)|"
        r"sin abrir|precintad[oa]s?|nunca abiert[oa]|no (lo|la|los|las) he abierto|"
        r"mai apert[oa]|non apert[oa]|ancora sigillat[oaie]|ancora incellophanat[oaie]|"
        r"ongeopend|niet geopend|nog geseald|nog in de (originele )?verpakking|"
        r"não abert[oa]|nunca abert[oa]|lacrad[oa]s?|ainda selad[oa]s?|não abri|"
        r"nieotwierane|nieotwarte|nie otwierał[ae]m|nadal w folii|nieużywane|"
        # still sealed / in its film or original box, in more words
        r"still (in )?(the )?(sealed|factory seal)|seal (is )?(still )?intact|(noch )?versiegelt|in der originalverpackung|"
        r"(toujours|encore) (scellée?s?|emballée?s?|sous (film|cellophane|plastique))|(n'a|n'ont) (pas|jamais) été ouverte?s?|"
        r"(sigue|siguen|todavía|aún) (precintad[oa]s?|con el plástico|en su caja)|"
        r"ancora (chius[oaie]|nel cellophane|nella (sua )?confezione)|"
        r"(nog )?verzegeld|nog in de folie|"
        r"(ainda )?selad[oa]s?|por abrir|ainda com o plástico|"
        r"zafoliowan[aey]|w oryginalnym opakowaniu|nierozpakowan[aey])\b"
        r"|未開封|未拆封|没拆|没有拆|未开封|開けていません|フィルムもそのまま|塑封|原包装"),
    "personalized": re.compile(
        r"\b(custom(i[sz]ed)?|personali[sz]ed|engraved|with my (name|logo|initials)|my own design|"
        r"printed with|bespoke|made to order|individual design|personalisiert|personnalisée?s?|"
        r"personalizad[oa]s?|personalizzat[oaie]|gepersonaliseerd|personalizowane)\b"),
    "final_sale": re.compile(r"\b(final (sale|discount)|clearance|ausverkauf|soldes|liquidación|saldi)\b"),
    "non_returnable": re.compile(r"\b(non-?returnable|no returns? (label|sticker|accepted))\b"),
    "free_gift": re.compile(r"\b(free gift|freebie|gift that came with|complimentary|gratisgeschenk|"
                            r"cadeau offert|regalo gratis|omaggio)\b"),
    "not_keysme": re.compile(r"\b(bought (it |them )?(on|from|at) (amazon|aliexpress|ebay|another (shop|store)))\b",
                             ),
    # Something is wrong with what arrived: damage or a fault.
    "says_defect": re.compile(
        r"\b(broken|cracked|damaged|defective|faulty|(does|do|did)(n'?t| not) work|not working|stopped working|"
        r"dead on arrival|doa|scratched|chipped|snapped|bent|(keys?|switch(es)?) (does|do)(n'?t| not) register|"
        r"kaputt|defekt|beschädigt|gebrochen|funktionier(t|en) nicht|zerkratzt|gesprungen|"
        r"cassée?s?|défectueu(x|se)|endommagée?s?|abîmée?s?|ne fonctionnent? pas|rayée?s?|fissurée?s?|"
        r"rot[oa]s?|defectuos[oa]s?|dañad[oa]s?|no funcionan?|rayad[oa]s?|"
        r"rott[oaie]|difettos[oaie]|danneggiat[oaie]|non funziona(no)?|graffiat[oaie]|crepat[oaie]|"
        r"kapot|beschadigd|werk(t|en) niet|gebroken|"
        r"quebrad[oa]s?|defeituos[oa]s?|danificad[oa]s?|não funciona(m)?|riscad[oa]s?|"
        r"uszkodzon[aey]|zepsut[aey]|pęknięt[aey]|nie działa(ją)?|"
        # stopped working / no longer works, in each language
        r"no longer works?|quit working|died|funktionier(t|en) nicht mehr|geht nicht mehr|ausgefallen|"
        r"ne (marche|fonctionne)n?t? plus|a lâché|(ha|han) dejado de funcionar|ya no funcionan?|"
        r"(ha|hanno) smesso di funzionare|non funziona(no)? più|werk(t|en) niet meer|(is|zijn) gestopt met werken|"
        r"deix(ou|aram) de funcionar|já não funciona(m)?|przesta(ł|ła|ły|li) działać|już nie działa(ją)?)\b"
        r"|壊れ|破損|不良品|割れ|動かない|動かなく|反応しな|故障|坏了|损坏|破损|不能用|裂了|有裂|不工作|不好使|失灵|没反应"),
    # A different product, colour or layout than ordered, or something missing.
    "says_wrong_item": re.compile(
        r"\b(wrong (item|colou?r|layout|keycaps?|product|switch(es)?|size|profile|set|keyboard|model)|"
        r"not what i ordered|(different|another) (item|colou?r|layout|product) than|instead of the (\w+ )?i ordered|"
        r"(keys?|keycaps?|items?|pieces?|switch(es)?|cable|spacebar|parts?|puller) (is|are|was|were) missing|"
        r"missing (from|in) the (box|package|parcel)|someone else'?s (order|parcel|package)|"
        r"falsche[nrs]? (artikel|farbe|layout|tastatur|produkt|ware|tastenkappen)|nicht (das|die|den),? was ich bestellt|"
        r"(tasten|teile|kabel|artikel|schalter) fehlen|"
        r"mauvais(e)? (article|couleur|produit|clavier|disposition)|pas ce que j'ai commandé|"
        r"(artículo|color|producto|teclado) (equivocado|incorrecto)|no es lo que pedí|"
        r"(articolo|colore|prodotto|tastiera) sbagliat[oa]|non è quello che ho ordinato|"
        r"verkeerde? (artikel|kleur|product|toetsenbord)|niet wat ik besteld|"
        r"(artigo|produto|cor|teclado) errad[oa]|não é o que encomendei|"
        r"(zły|zła|złe|niewłaściwy) (produkt|kolor|towar))\b"
        r"|違う商品|間違った商品|注文と違う|发错|不是我订的"),
    # The customer has not got the parcel.
    "not_received": re.compile(
        r"\b(never (received|got|arrived|came)|(have|has)(n'?t| not) (received|got|arrived|come)|"
        r"(did|do)(n'?t| not) (receive|get)( it| them| the (parcel|package|order))?|not (been )?received|"
        r"(was|wasn'?t|were|weren'?t|is|isn'?t) not? ?(delivered|received) (to me|here)|nothing (has )?arrived|"
        r"no (parcel|package) (at|in|on)|not in my (mailbox|letterbox|post ?box)|still waiting for (it|my)|"
        r"nicht (erhalten|bekommen|angekommen)|nichts? (angekommen|erhalten|bekommen)|nie angekommen|kein paket|"
        r"(never|nothing) (came|arrived|showed up)|i have(n'?t| not) (got|received) (it|anything|the (parcel|package))|"
        r"rien reçu|n'ai rien reçu|(nada|no me ha llegado nada)|non (mi )?è arrivato niente|niente|"
        r"niets? (ontvangen|gekregen|aangekomen)|nada chegou|não recebi nada|nic (nie )?(dotarło|przyszło|dostał[ae]m)|"
        r"(pas|jamais|rien) reçue?s?|jamais arrivée?s?|pas (encore )?arrivée?s?|"
        r"no (he |lo he |la he )?recibido|nunca llegó|no (ha |me ha )?llegado|"
        r"non (l'?ho |ho )?ricevuto|mai arrivat[oa]|non è (ancora )?arrivat[oa]|"
        r"niet ontvangen|nooit aangekomen|niet aangekomen|"
        r"não (o |a )?recebi|nunca chegou|não chegou|"
        r"nie (otrzymał[ae]m|dostał[ae]m|dotarł[ao]?|doszł[ao]))\b"
        r"|届いていません|届いてない|届かない|受け取っていません|何も届いて|没收到|没有收到|未收到|还没到|還沒收到|什么都没收到"),
    # The carrier or the order data says it was delivered (in the customer's words).
    "says_delivered": re.compile(
        r"\b((says|shows|showing|marked|status( is)?|tracking( says)?)( as)?( it was| it's)? delivered|"
        r"delivered but|zugestellt|als geliefert|livrée?s?|entregad[oa]|se entregó|fue entregad[oa]|consegnat[oa]|bezorgd|afgeleverd|"
        r"entregue|doręczon[aey]|dostarczon[aey])\b|配達完了|配達済|已签收|已经签收|显示签收|已送达|签收了"),
    "returned_to_sender": re.compile(
        r"\b(return(ed|ing)? to (the )?sender|being returned to (you|the (shop|store|sender))|"
        r"sent back to (you|the sender|the (shop|store|warehouse))|zurück an (den )?absender|"
        r"retour(né|née)? à l'expéditeur|devuelt[oa] al remitente|(reso|restituit[oa]) al mittente|"
        r"retour (naar )?afzender|terug naar (de )?afzender|devolvid[oa] ao remetente|zwrot do nadawcy|"
        r"zwrócon[aey] do nadawcy)\b|差出人に返送|退回发件人|退回寄件人|退件"),
    "lost": re.compile(r"\b((parcel|package|order|it) (is|was|got|seems|must be) (\w+ )?lost|lost in (transit|the post|"
                       r"the mail)|verloren gegangen|perdue?|extraviad[oa]|pers[oa] (durante|nel)|"
                       r"zaginęł[ao]|kwijtgeraakt|perdid[oa])\b|丢失|丢了|紛失"),
    # The body takes back a defect the subject claims: "defective is the wrong word".
    "takes_back_defect": re.compile(
        r"\b((defective|broken|faulty|damaged) (is|was) (the |a |maybe )?(wrong|not the right|too strong|"
        r"bad) word|not (really |actually )?(defective|broken|faulty|damaged)|nothing (is )?wrong with (it|them)|"
        r"(it|they) works?( just)? (fine|perfectly|great)|works? (fine|perfectly)|"
        r"nicht (wirklich )?(defekt|kaputt)|funktionier(t|en) (einwandfrei|gut|perfekt)|"
        r"pas (vraiment )?(défectueux|cassé)|fonctionnent? (bien|parfaitement)|"
        r"no (está|están) (rot[oa]s?|defectuos[oa]s?)|funciona(n)? (bien|perfectamente)|"
        r"non (è|sono) (rott[oaie]|difettos[oaie])|funziona(no)? (bene|perfettamente))\b"),
    # Mail that needs no answer: thanks, praise, a message meant for someone else, a sales pitch.
    "thanks": re.compile(
        r"^\W*(thanks?( you)?|thank you( so much| very much)?|many thanks|cheers|danke( schön| sehr)?|vielen dank|"
        r"merci( beaucoup)?|gracias|muchas gracias|grazie( mille)?|bedankt|dank je( wel)?|hartelijk dank|"
        r"obrigad[oa]|muito obrigad[oa]|dziękuję|dzięki|ありがとう|谢谢|謝謝|감사합니다)\b"
        r"|\b(thanks? (you )?(so much |a lot )?for (the|your|all|sorting|helping)|got (it|them|the parcel|my order),? thanks?|"
        r"(arrived|came) (today|safely|yesterday|fine)?,? thanks?|problem (is )?(solved|sorted)|all (good|sorted) now|"
        r"vielen dank für|merci pour|gracias por|grazie per|bedankt voor|obrigad[oa] pel[oa]|dziękuję za|"
        r"vielen dank|danke schön|merci beaucoup|muchas gracias|grazie mille|heel erg bedankt|hartelijk bedankt|"
        r"muito obrigad[oa]|wielkie dzięki|bardzo dziękuję)\b"
        r"|ありがとうございま|感謝して|非常感谢|太感谢|多谢|谢谢你们"),
    "compliment": re.compile(
        r"\b(love (the|my|them|it|these|your)|(looks?|sounds?|feels?) (great|amazing|awesome|fantastic|perfect|"
        r"beautiful|incredible)|great (job|service|product|quality|work|shop|store)|amazing (quality|service|"
        r"keycaps|product)|best (keycaps|keyboard|purchase)|so happy with|very happy with|super zufrieden|"
        r"sehr zufrieden|wunderschön|genial|ravie?|magnifiques?|superbes?|me encanta(n)?|preciosos?|"
        r"bellissim[oaie]|stupend[oaie]|prachtig|geweldig|adorei|lind[oa]s|świetn[aey]|piękn[aey]|"
        r"(great|awesome|excellent|fantastic|super) (job|work)|tolle arbeit|großartig|(sehen|sieht) (toll|super|klasse) aus|"
        r"super travail|excellent travail|buen trabajo|quedan? (genial|geniales|preciosos?)|geniales|ottimo lavoro|"
        r"goed werk|top!|excelente trabalho|ficam lind[oa]s|świetn(ie|a|e|y) (wygląda|robota)|super robota|"
        r"素晴らしい|最高|素敵|太棒了|很喜欢|非常满意|特别好看|很好看|做得很棒)\b"),
    "misdirected": re.compile(
        r"\b((sent|emailed|wrote|mailed) (this|it|you this) (to (the|you by) )?(to the wrong|by mistake|in error)|"
        r"wrong (recipient|person|inbox|email address)|not (meant|intended) for (you|this address)|"
        r"please (ignore|disregard) (this|my (last|previous) (email|message))|"
        r"falsche[nr]? empfänger|an die falsche adresse|mauvais destinataire|destinatario (equivocado|sbagliato)|"
        r"verkeerde (ontvanger|persoon)|destinatário errado|pomyłkowo|per errore)\b"),
    "sales_pitch": re.compile(
        r"\b(seo|backlinks?|guest posts?|increase your (sales|traffic|revenue|conversions?)|"
        r"(our|my) (agency|services|platform|team can|company (helps|offers))|we (help|offer|provide|specialize)|"
        r"partnership (opportunity|proposal)|collaborat(e|ion) with (you|your brand)|quick (call|chat)|"
        r"\d+[- ]minute (call|chat|demo)|book a (call|demo|meeting)|schedule a (call|demo)|influencers?|"
        r"factory (price|offer|supplier)|dropshipping|lead generation|(web|app) development|"
        r"marketing (services|agency|campaign)|free (audit|trial|consultation)|unsubscribe|"
        r"boost your (store|shop|brand)|shopify (apps?|experts?|store owners?|stores?)|"
        r"(growth|marketing|advertising|ads|digital|seo|media|creative) agency|scale (your|their) (ads|store|brand|business)|"
        r"(ad|ads|advertising) (campaigns?|spend|accounts?)|\d+ minutes? (this week|for a (call|chat))|"
        r"agentur|kostenlose[nr]? (analyse|beratung|audit)|werbekampagnen|online-marketing|"
        r"(notre|une) agence|audit gratuit|campagnes (publicitaires)?|publicité|"
        r"(nuestra|una) agencia|auditoría gratuita|campañas|publicidad|"
        r"(la nostra|un'?)agenzia|analisi gratuita|campagne pubblicitarie|pubblicità|"
        r"(ons|een) (bureau|agentschap)|gratis analyse|campagnes|advertenties|"
        r"(a nossa|uma) agência|auditoria gratuita|campanhas|publicidade|"
        r"(nasza )?agencja|darmowy audyt|kampani[ia]|reklam(y|ach|a))\b"
        r"|代理店|無料診断|広告運用|広告キャンペーン|代理公司|免费的?(广告)?(账户)?诊断|广告投放"),
    # The customer asks or wants something: a question or a request.
    "asks": re.compile(
        r"\?|？|¿|\b(please(?! (ignore|disregard))|pls|can you|could you|would you|will you|i want|i need|i would like|i'?d like|"
        r"let me know|when|where|how|why|what|which|refund|return|cancel|exchange|replace|change|still|"
        r"not yet|waiting|help|bitte|können sie|könnten sie|wann|wo ist|wie|warum|ich möchte|"
        r"s'il vous plaît|svp|pouvez-vous|pourriez-vous|quand|où|comment|pourquoi|je voudrais|"
        r"por favor|puede|podría|cuándo|dónde|cómo|quiero|quisiera|per favore|potete|potreste|quando|dove|"
        r"vorrei|alstublieft|graag|kunt u|kunnen jullie|wanneer|waar|hoe|ik wil|"
        r"poderiam|podem|onde|gostaria|proszę|czy|kiedy|gdzie|chciał(a|bym))\b"
        r"|ください|お願い|いつ|どこ|请|吗|什么时候|哪里"),
}

# A return or exchange needs a reason; these are reasons customers give.
REASON = re.compile(
    r"\b(because|since|as (it|they|the)|too (?!late|many|much time)\w+|(does|do|did|will|would)(n'?t| not) (fit|work|suit|match|go)|"
    r"don'?t (like|need|want)|do not (like|need|want)|not (what i|for me|my style|compatible)|changed my mind|"
    r"ordered by mistake|by accident|wrong (size|layout|profile) for me|prefer|instead|hate|dislike|"
    r"no longer need|not needed|gift|present|already (have|has|own)|the same (set|one|keyboard)|duplicate|"
    r"colou?rs?|sound|feel|(look|looks|looked) (different|nothing like|wrong)|different (from|than) (the )?(pictures?|photos?|website)|"
    r"(i )?(actually |really )?need (the |an? )?\w+ (layout|version|one)|need (iso|ansi|jis)|"
    r"weil|da (sie|es|mir)|gefällt mir nicht|farben?|anders als|brauche (aber |eigentlich )?|"
    r"couleurs?|différente?s? de|besoin (de|d'|du)|ne correspond(ent)? pas|"
    r"colou?res|diferentes? (a|de)|no se parecen|necesito|"
    r"colori|divers[oaie] dall|mi serve|"
    r"kleuren?|anders dan|(heb|heeft) .{0,40}nodig|"
    r"cores?|diferentes? d[aoe]s?|preciso d[aoe]s?|"
    r"kolory?|inaczej|potrzebuję|"
    r"(ist|sind) (mir )?(einfach |leider |viel )?zu \w+|trop \w+ pour|demasiado \w+|troppo \w+|te \w+ voor (mij|me)|"
    r"(demasiado|muito) \w+ para mim|za \w+ dla mnie|"
    r"passt nicht|parce que|car (il|elle|ils|je)|ne me plaît pas|porque|no me gusta|perché|non mi piace|"
    r"(ist|sind) (mir )?(einfach |leider |viel )?zu \w+|trop \w+ pour|demasiado \w+|troppo \w+|te \w+ voor (mij|me)|"
    r"(demasiado|muito) \w+ para mim|za \w+ dla mnie|"
    r"passt nicht|parce que|car (il|elle|ils|je)|ne me plaît pas|porque|no me gusta|perché|non mi piace|"
    r"omdat|want (ik|het)|bevalt (me )?niet|porque|não gostei|ponieważ|bo (nie|mi)|nie podoba)\b"
    r"|色が|違い|合わ|必要|颜色|差别|不一样|需要|不喜欢|気に入",
    
)

# "I have never used them", "haven't installed it yet": a negated use is no use.
NEGATED = re.compile(r"(\b(never|not|n't|no|haven'?t|hasn'?t|didn'?t|nicht|nie|pas|jamais|nunca|mai|non|niet|"
                     r"nooit|não|nao|sin|ohne|sans|senza|zonder|sem|bez)\b|n't)"
                     r"(\s+\w+){0,2}\s*$")

# Statements that are claims: negation right before them undoes them.
_NEGATABLE = {"opened", "says_defect", "says_wrong_item", "says_delivered"}
# Claims a subject line makes ("DEFECTIVE keycaps!!").
_SUBJECT_CLAIMS = ("says_defect", "says_wrong_item")


def _affirmed(pattern: re.Pattern, text: str) -> bool:
    """Whether the pattern matches somewhere that is not negated just before it."""
    return any(not NEGATED.search(text[max(0, m.start() - 30):m.start()]) for m in pattern.finditer(text))


def find_statements(text: str, subject: str = "") -> frozenset[str]:
    # The patterns are written in lower case and read lower-cased text: half
    # the cost of re.IGNORECASE over a dozen large alternations.
    text, subject = text.lower(), subject.lower()
    said = {name for name, pattern in STATEMENTS.items()
            if (_affirmed(pattern, text) if name in _NEGATABLE else pattern.search(text))}
    if "sales_pitch" in said and len({m.group(0).lower() for m in STATEMENTS["sales_pitch"].finditer(text)}) < 2:
        said.discard("sales_pitch")  # one marketing word is no pitch: "unsubscribe", "influencer"
    if "unopened" in said:
        said.discard("opened")  # "I haven't opened it" also matches "opened"
    if subject and "takes_back_defect" not in said:
        said |= {name for name in _SUBJECT_CLAIMS if _affirmed(STATEMENTS[name], subject)}
    if "takes_back_defect" in said:
        said.discard("says_defect")
    if REASON.search(text):
        said.add("reason")
    return frozenset(said)
