#!/usr/bin/env python3
"""Microsoft's MSAL for Python against the lcsauth Entra simulator.

Usage: conformance.py BASE_URL CA_FILE

BASE_URL is the simulator's https:// address, CA_FILE the PEM of the CA that
issued its certificate. The simulator must run with the configuration that
tests/msal_conformance.rs gives it (accounts, client id, device-code timing,
an account already signed in to the browser). Every check runs; the exit
status is 1 if any failed, and each failure is printed with what MSAL
returned.
"""

import base64
import hashlib
import html.parser
import json
import sys
import time
import traceback
import urllib.parse

import jwt  # PyJWT, a dependency of MSAL
import msal
import requests

CLIENT_ID = "51f81489-12ee-4a9e-aaae-a2591f45987d"
OTHER_CLIENT_ID = "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
TENANT = "contoso.onmicrosoft.com"
USER = "ops@contoso.onmicrosoft.com"
MFA_USER = "mfa@contoso.onmicrosoft.com"
FOREIGN_USER = "dev@northwind.onmicrosoft.com"
PASSWORD = "Demo-Pass-1"
LCS = "https://lcsapi.lcs.dynamics.com"
SCOPES = [LCS + "//.default"]
REDIRECT = "http://localhost:53682/"
PUBLIC_CLOUD = "https://login.microsoftonline.com/"

BASE, CA_FILE = sys.argv[1].rstrip("/"), sys.argv[2]
FAILURES = []


class SimulatorOnly(requests.Session):
    """The HTTP client MSAL gets: it trusts the simulator's CA and reaches
    nothing but the simulator. Two requests need a hand:
    - MSAL asks the public cloud's instance discovery about aliases on its
      own; the simulator stands in for that host, so those go to it too;
    - MSAL keeps an authority's host without its port (authority.canonicalize
      returns the hostname) and builds the instance-discovery and user-realm
      URLs from it; the simulator's port is put back.
    Anything else fails the run."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def request(self, method, url, *args, **kwargs):
        host_only = "https://" + urllib.parse.urlsplit(BASE).hostname + "/"
        for prefix in (PUBLIC_CLOUD, host_only):
            if url.startswith(prefix):
                url = BASE + "/" + url[len(prefix):]
        if not url.startswith(BASE + "/"):
            raise AssertionError("MSAL tried to reach " + url)
        self.urls.append(urllib.parse.urlsplit(url).path)
        kwargs.setdefault("timeout", 10)
        kwargs["verify"] = CA_FILE
        return super().request(method, url, *args, **kwargs)


def check(name):
    def wrap(fn):
        def run():
            try:
                fn()
                print("ok    " + name)
            except Exception:  # every failure is reported, then the next check runs
                FAILURES.append(name)
                print("FAIL  " + name)
                traceback.print_exc(file=sys.stdout)
        run.__name__ = fn.__name__
        CHECKS.append(run)
        return run
    return wrap


CHECKS = []
HTTP = SimulatorOnly()


def sim(path, body=None):
    """The simulator's control surface."""
    url = BASE + "/_sim/" + path
    resp = HTTP.post(url, json=body) if body is not None else HTTP.get(url)
    resp.raise_for_status()
    return resp.json()


def app(client_id=CLIENT_ID, tenant=TENANT, **kwargs):
    return msal.PublicClientApplication(
        client_id,
        authority=BASE + "/" + tenant,
        instance_discovery=BASE + "/common/discovery/instance",
        http_client=HTTP,
        **kwargs,
    )


def expect_token(result):
    assert "access_token" in result, "no token: " + json.dumps(result, indent=1)
    return result


def expect_error(result, error, code, text=None):
    assert result.get("error") == error, json.dumps(result, indent=1)
    assert result.get("error_codes") == [code], json.dumps(result, indent=1)
    description = result.get("error_description", "")
    assert description.startswith("AADSTS%d: " % code), description
    if text:
        assert text in description, description
    for field in ("trace_id", "correlation_id", "timestamp"):
        assert result.get(field), "missing %s: %s" % (field, json.dumps(result))


def keys():
    config = HTTP.get(BASE + "/" + TENANT + "/v2.0/.well-known/openid-configuration").json()
    return config, HTTP.get(config["jwks_uri"]).json()


def verified(token, audience, issuer):
    """The claims of `token` after PyJWT verified its RS256 signature
    against the published keys, its audience, issuer and lifetime."""
    _, jwks = keys()
    kid = jwt.get_unverified_header(token)["kid"]
    jwk = next(k for k in jwks["keys"] if k["kid"] == kid)
    key = jwt.PyJWK(jwk).key
    return jwt.decode(token, key, algorithms=["RS256"], audience=audience, issuer=issuer)


def tid():
    return keys()[0]["token_endpoint"].split("/")[3]


# ---------------------------------------------------------------- discovery


@check("instance and OpenID discovery: MSAL takes its endpoints from the simulator")
def discovery():
    HTTP.urls.clear()
    a = app()
    assert a.authority.token_endpoint == BASE + "/" + tid() + "/oauth2/v2.0/token", a.authority.token_endpoint
    assert a.authority.device_authorization_endpoint.startswith(BASE + "/")
    assert a.authority.authorization_endpoint.startswith(BASE + "/")
    assert "/common/discovery/instance" in HTTP.urls, HTTP.urls
    assert "/" + TENANT + "/v2.0/.well-known/openid-configuration" in HTTP.urls, HTTP.urls


@check("an unknown tenant: MSAL refuses the authority")
def unknown_tenant():
    try:
        app(tenant="nope.onmicrosoft.com")
    except ValueError as e:
        # MSAL wraps the discovery failure; the simulator's answer is its cause.
        cause = "%s / %s" % (e, e.__context__)
        assert "HTTP status: 400" in cause and "AADSTS90002" in cause, cause
    else:
        raise AssertionError("MSAL accepted a tenant the simulator does not know")


@check("an unknown host: instance discovery answers invalid_instance")
def unknown_instance():
    resp = HTTP.get(
        BASE + "/common/discovery/instance",
        params={"api-version": "1.1", "authorization_endpoint": "https://evil.example/x/oauth2/v2.0/authorize"},
    )
    assert resp.status_code == 400
    assert resp.json()["error"] == "invalid_instance"


# ------------------------------------------------------------ password grant


@check("password grant: signed tokens, an account in the cache, home realm discovered")
def password():
    HTTP.urls.clear()
    a = app()
    r = expect_token(a.acquire_token_by_username_password(USER, PASSWORD, scopes=SCOPES))
    assert "/common/userrealm/" + USER in HTTP.urls, HTTP.urls
    assert r["token_type"] == "Bearer"
    assert r["token_source"] == "identity_provider"
    claims = verified(r["access_token"], LCS, "https://sts.windows.net/%s/" % tid())
    assert claims["upn"] == USER and claims["appid"] == CLIENT_ID
    config, _ = keys()
    id_claims = verified(r["id_token"], CLIENT_ID, config["issuer"])
    assert id_claims["preferred_username"] == USER
    accounts = a.get_accounts()
    assert [x["username"] for x in accounts] == [USER], accounts
    info = json.loads(base64.urlsafe_b64decode(r["client_info"] + "=="))
    assert accounts[0]["home_account_id"] == "%s.%s" % (info["uid"], info["utid"])
    assert info["utid"] == tid()


@check("sub is the same on every token of one user and app, different for another app")
def stable_sub():
    first = expect_token(app().acquire_token_by_username_password(USER, PASSWORD, scopes=SCOPES))
    again = expect_token(app().acquire_token_by_username_password(USER, PASSWORD, scopes=SCOPES))
    other = expect_token(app(OTHER_CLIENT_ID).acquire_token_by_username_password(USER, PASSWORD, scopes=SCOPES))
    assert first["id_token_claims"]["sub"] == again["id_token_claims"]["sub"]
    assert first["id_token_claims"]["sub"] != other["id_token_claims"]["sub"]


@check("error shapes: wrong password 50126, MFA 50076 basic_action, another tenant's user 50034")
def password_errors():
    a = app()
    expect_error(a.acquire_token_by_username_password(USER, "wrong", scopes=SCOPES), "invalid_grant", 50126)
    mfa = a.acquire_token_by_username_password(MFA_USER, "Mfa-Pass-1", scopes=SCOPES)
    expect_error(mfa, "invalid_grant", 50076, "913c6de4-2a4a-4a61-a9ce-945d2b2ce2e0")
    assert mfa.get("suberror") == "basic_action", mfa
    expect_error(
        a.acquire_token_by_username_password(FOREIGN_USER, PASSWORD, scopes=SCOPES),
        "invalid_grant",
        50034,
        "does not exist in the %s directory" % tid(),
    )
    # Its own tenant signs it in.
    expect_token(app(tenant="northwind.onmicrosoft.com").acquire_token_by_username_password(
        FOREIGN_USER, PASSWORD, scopes=SCOPES))


@check("error shape: an unregistered client id gets 700016")
def unknown_client():
    r = app("11111111-2222-3333-4444-555555555555").acquire_token_by_username_password(USER, PASSWORD, scopes=SCOPES)
    expect_error(r, "unauthorized_client", 700016)


# ------------------------------------------------------------------ refresh


@check("silent refresh: cache hit, then a forced refresh that rotates the refresh token")
def silent_refresh():
    a = app()
    first = expect_token(a.acquire_token_by_username_password(USER, PASSWORD, scopes=SCOPES))
    account = a.get_accounts()[0]
    cached = expect_token(a.acquire_token_silent(SCOPES, account))
    assert cached["token_source"] == "cache"
    assert cached["access_token"] == first["access_token"]
    old_rt = first["refresh_token"]
    refreshed = expect_token(a.acquire_token_silent(SCOPES, account, force_refresh=True))
    assert refreshed["token_source"] == "identity_provider"
    assert refreshed["access_token"] != first["access_token"]
    rts = [rt["secret"] for rt in a.token_cache.search(msal.TokenCache.CredentialType.REFRESH_TOKEN)]
    assert rts and old_rt not in rts, "the cache kept the old refresh token"
    assert sim("tokens")["issued_refresh_tokens"][-1] == rts[0]
    # The old one still redeems (Entra does not revoke on rotation).
    expect_token(a.acquire_token_by_refresh_token(old_rt, SCOPES))


@check("revoked refresh tokens: silent refresh fails with 50173")
def revoked():
    a = app()
    expect_token(a.acquire_token_by_username_password(USER, PASSWORD, scopes=SCOPES))
    account = a.get_accounts()[0]
    sim("revoke", {})
    r = a.acquire_token_silent_with_error(SCOPES, account, force_refresh=True)
    expect_error(r, "invalid_grant", 50173)


# -------------------------------------------------------------- device code


def device_flow(a):
    flow = a.initiate_device_flow(scopes=SCOPES)
    assert flow.get("user_code") and flow.get("device_code"), flow
    assert flow["user_code"] in flow["message"], flow
    assert flow["interval"] == 1, flow
    return flow


def poll_once(a, flow):
    return a.acquire_token_by_device_flow(flow, exit_condition=lambda f: True)


@check("device code: pending, slow_down, then approved")
def device_approved():
    a = app()
    flow = device_flow(a)
    expect_error(poll_once(a, flow), "authorization_pending", 70016)
    slow = poll_once(a, flow)  # at once, inside the interval
    assert slow.get("error") == "slow_down", slow
    assert flow["interval"] == 6, "MSAL adds five seconds on slow_down"
    time.sleep(1.1)
    assert sim("device/approve", {"user_code": flow["user_code"], "username": USER})["approved"]
    r = expect_token(a.acquire_token_by_device_flow(flow))
    assert r["id_token_claims"]["preferred_username"] == USER
    assert [x["username"] for x in a.get_accounts()] == [USER]


@check("device code: declined")
def device_declined():
    a = app()
    flow = device_flow(a)
    assert sim("device/decline", {"user_code": flow["user_code"]})["declined"]
    r = a.acquire_token_by_device_flow(flow)
    assert r.get("error") == "authorization_declined", r


@check("device code: expired answers expired_token AADSTS70020")
def device_expired():
    a = app()
    flow = device_flow(a)
    assert sim("device/expire", {"user_code": flow["user_code"]})["expired"]
    r = a.acquire_token_by_device_flow(flow)
    expect_error(
        r,
        "expired_token",
        70020,
        "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
    )


# ------------------------------------------------------- authorization code


class HiddenInputs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields, self.action = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs.get("action")
        if tag == "input" and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs.get("value", "")


def browse(auth_uri):
    """What a browser would carry back to the redirect URI."""
    resp = HTTP.get(auth_uri, allow_redirects=False)
    if resp.status_code == 302:
        location = resp.headers["Location"]
        assert location.startswith(REDIRECT), location
        query = urllib.parse.urlsplit(location).query
        return {k: v[0] for k, v in urllib.parse.parse_qs(query).items()}
    assert resp.status_code == 200, resp.text
    page = HiddenInputs()
    page.feed(resp.text)
    assert page.action == REDIRECT, page.action
    assert "document.forms[0].submit()" in resp.text
    return page.fields


@check("authorization code + PKCE + nonce (query): MSAL accepts the id token")
def auth_code_query():
    a = app()
    flow = a.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT, login_hint=USER)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(flow["auth_uri"]).query)
    assert query["code_challenge_method"] == ["S256"] and "nonce" in query, query
    response = browse(flow["auth_uri"])
    assert "client_info" in response, response
    r = expect_token(a.acquire_token_by_auth_code_flow(flow, response))
    assert r["id_token_claims"]["nonce"] == hashlib.sha256(flow["nonce"].encode()).hexdigest()
    assert [x["username"] for x in a.get_accounts()] == [USER]


@check("authorization code (form_post): the auto-posting form carries code, client_info and state")
def auth_code_form_post():
    a = app()
    flow = a.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT, response_mode="form_post")
    response = browse(flow["auth_uri"])
    assert response.get("state") == flow["state"], response
    assert "client_info" in response and "code" in response, response
    expect_token(a.acquire_token_by_auth_code_flow(flow, response))


@check("authorization code: a wrong PKCE verifier gets 501481, a replayed code 54005")
def auth_code_errors():
    a = app()
    flow = a.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT)
    response = browse(flow["auth_uri"])
    tampered = dict(flow, code_verifier="x" * 43)
    expect_error(a.acquire_token_by_auth_code_flow(tampered, response), "invalid_grant", 501481)
    flow2 = a.initiate_auth_code_flow(SCOPES, redirect_uri=REDIRECT)
    response2 = browse(flow2["auth_uri"])
    expect_token(a.acquire_token_by_auth_code_flow(flow2, response2))
    expect_error(a.acquire_token_by_auth_code_flow(flow2, response2), "invalid_grant", 54005)


if __name__ == "__main__":
    print("MSAL for Python %s against %s" % (msal.__version__, BASE))
    for run in CHECKS:
        run()
    print("%d checks, %d failed" % (len(CHECKS), len(FAILURES)))
    sys.exit(1 if FAILURES else 0)
