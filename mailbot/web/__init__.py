"""The review console: `mailbot web`, and the same pages inside `mailbot run` when `[web] enabled = true`.

    app        the Starlette application: routes, login, CSRF, security headers
    users      reviewers (argon2 hashes), sessions and slowed login failures, in the store
    sanitize   the customer's HTML, cleaned (nh3) for a sandboxed frame
    thumbs     thumbnails of the customer's photos (Pillow), from the store's copy
    chart      the quality page's inline SVG, drawn on the server
    server     uvicorn, alone or in a thread of the daemon
    cli        `mailbot web` and `mailbot user add/list/remove`

Every page reads and writes through delivery.review.Review, the service
`mailbot review` uses; nothing here decides anything.
"""
