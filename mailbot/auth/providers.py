"""What mailbot knows of each OAuth2 provider: its endpoints, its scopes, its first-login flow.

The presets cover IMAP and SMTP with one token, so the daemon and sending
share it.  "custom" takes everything from the config (an in-house server,
or the tests' token server on loopback).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import OAuth2Config

MICROSOFT = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0"


@dataclass(frozen=True)
class Endpoints:
    token_url: str
    authorization_url: str  # "" when the provider has no browser login mailbot can use
    device_authorization_url: str  # "" when it has no device-code login
    scopes: tuple[str, ...]
    login_flow: str  # what `mailbot auth login` does by default: "device", "browser" or "paste"
    # Google's consent screen gives a refresh token only when asked for offline access.
    authorization_params: tuple[tuple[str, str], ...] = ()


def endpoints(settings: OAuth2Config) -> Endpoints:
    if settings.provider == "google":
        # Google's device flow does not allow the mail scope: the installed-app flow it is.
        preset = Endpoints("https://oauth2.googleapis.com/token", "https://accounts.google.com/o/oauth2/v2/auth", "",
                           ("https://mail.google.com/",), "browser",
                           (("access_type", "offline"), ("prompt", "consent")))
    elif settings.provider == "microsoft":
        base = MICROSOFT.format(tenant=settings.tenant)
        # offline_access is what makes Microsoft hand out a refresh token.
        preset = Endpoints(f"{base}/token", f"{base}/authorize", f"{base}/devicecode",
                           ("https://outlook.office.com/IMAP.AccessAsUser.All",
                            "https://outlook.office.com/SMTP.Send", "offline_access"), "device")
    else:
        flow = "device" if settings.device_authorization_url else "browser" if settings.authorization_url else "paste"
        preset = Endpoints(settings.token_url, "", "", (), flow)
    return Endpoints(
        token_url=settings.token_url or preset.token_url,
        authorization_url=settings.authorization_url or preset.authorization_url,
        device_authorization_url=settings.device_authorization_url or preset.device_authorization_url,
        scopes=tuple(settings.scopes) or preset.scopes,
        login_flow=preset.login_flow,
        authorization_params=preset.authorization_params,
    )
