"""HTTP routes of the app, one FastAPI router per concern (health, api, feedback, embed).

``painguide.server.create_app`` builds the shared :class:`~painguide.routes.state.AppState`,
adds the guards (body size, rate limit, security headers) and includes these routers.
"""
