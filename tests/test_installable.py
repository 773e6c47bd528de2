"""The installable app: manifest, service worker, offline page, scripts and sign-out."""

import gzip
import json
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
SCRIPT_RE = re.compile(r'<script src="([^"]+)"( defer)?></script>')


def test_manifest_names_the_app_in_english(client):
    """The manifest has an English name, the icons, the theme colour and the home page."""
    response = client.get("/manifest.webmanifest?lang=en")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "pdplanner — my learning"
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/",
                                                                             "standalone")
    assert manifest["theme_color"] == "#0b5e54"
    assert {icon["type"] for icon in manifest["icons"]} == {"image/svg+xml", "image/png"}


def test_manifest_names_the_app_in_french(client):
    """Asked in French, the manifest speaks French."""
    manifest = client.get("/manifest.webmanifest?lang=fr").get_json(force=True)
    assert manifest["lang"] == "fr"
    assert manifest["name"] == "pdplanner — mon apprentissage"


def test_every_icon_of_the_manifest_is_served(client):
    """Each icon the manifest names is a real file: a PNG of its size, or an SVG."""
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        body = response.get_data()
        response.close()
        assert response.status_code == 200, icon["src"]
        if icon["type"] == "image/png":
            size = int(icon["sizes"].split("x")[0])
            assert body[:8] == b"\x89PNG\r\n\x1a\n"
            assert int.from_bytes(body[16:20], "big") == size
        else:
            assert body.startswith(b"<svg")


def test_service_worker_is_served_from_the_root_and_never_cached_stale(client):
    """/sw.js is JavaScript whose scope may be the whole site, checked at every visit."""
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] in ("no-cache", "no-store")
    assert "addEventListener('fetch'" in response.get_data(as_text=True)


def test_every_page_links_the_manifest_and_a_deferred_script_and_no_inline_script(client,
                                                                                  employee):
    """The sign-in page and a signed-in page both load the app's scripts from files."""
    pages = [client.get("/auth/login").get_data(as_text=True)]
    client.login(employee.email)
    pages.append(client.get("/").get_data(as_text=True))
    for html in pages:
        assert 'rel="manifest"' in html
        scripts = SCRIPT_RE.findall(html)
        assert [src for src, _ in scripts] == ["/static/queue.js", "/static/app.js"]
        assert all(defer for _, defer in scripts)
        assert html.count("<script") == len(scripts)


def test_content_security_policy_stays_strict(client):
    """The policy still allows no inline script and nothing from elsewhere."""
    policy = client.get("/auth/login").headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "script-src" not in policy  # script falls back to default-src 'self'


def test_offline_page_says_the_page_is_not_available_in_each_language(client):
    """The page the device shows for a page never opened is public, in English and French."""
    english = client.get("/offline?lang=en").get_data(as_text=True)
    french = client.get("/offline?lang=fr").get_data(as_text=True)
    assert "Not available offline" in english
    assert "Non disponible hors connexion" in french


def test_device_state_tells_who_is_signed_in_with_a_csrf_token(client, employee):
    """Signed out: no one; signed in: the person's id and a token for their session."""
    assert client.get("/offline/state").get_json() == {"user": None}
    client.login(employee.email)
    state = client.get("/offline/state").get_json()
    assert state["user"] == employee.id and state["csrf"]


def test_signed_in_pages_name_their_reader_for_the_service_worker(client, employee):
    """A signed-in page says whose it is and in which language; a signed-out one does not."""
    assert "X-Pdplanner-User" not in client.get("/auth/login").headers
    client.login(employee.email)
    response = client.get("/")
    assert response.headers["X-Pdplanner-User"] == str(employee.id)
    assert response.headers["Content-Language"] == "en"


def test_sign_out_asks_the_browser_to_clear_the_device(client, employee):
    """The sign-out answer clears the cached pages and queued actions (Clear-Site-Data)."""
    client.login(employee.email)
    response = client.logout()
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_all_script_is_at_most_15_kb_compressed():
    """The pages' scripts and the service worker together stay small (gzip -9)."""
    scripts = sorted(STATIC.glob("*.js"))
    assert {path.name for path in scripts} == {"app.js", "queue.js", "sw.js"}
    size = sum(len(gzip.compress(path.read_bytes(), 9)) for path in scripts)
    assert size <= 15 * 1024, f"{size} bytes compressed"
