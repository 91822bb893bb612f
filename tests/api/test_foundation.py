"""Sign-in, the token gate, staff creation and GraphQL hygiene, over real HTTP to the app."""

from __future__ import annotations

import jwt

from tests.factories import PASSWORD, make_employee

LOGIN = """mutation($e: String!, $p: String!) { login(email: $e, password: $p) {
  session { accessToken expiresAt employee { id email role } } errors { field code message } } }"""
ME = "{ me { id name email role active } }"
CREATE = """mutation($i: EmployeeInput!) { createEmployee(input: $i) {
  employee { id email role } errors { field code message } } }"""


async def test_login_returns_a_token_that_opens_the_api(api, client):
    admin = await make_employee("ADMIN")
    data = await api.gql(LOGIN, {"e": admin.employee.email, "p": PASSWORD})
    session = data["login"]["session"]
    assert data["login"]["errors"] == []
    me = await api.gql(ME, token=session["accessToken"])
    assert me["me"]["email"] == admin.employee.email
    assert me["me"]["role"] == "ADMIN"


async def test_access_token_carries_the_agreed_claims_and_verifies_against_the_jwks(api, client):
    admin = await make_employee("MANAGER")
    data = await api.gql(LOGIN, {"e": admin.employee.email, "p": PASSWORD})
    token = data["login"]["session"]["accessToken"]
    jwks = (await client.get("/.well-known/jwks.json")).json()
    header = jwt.get_unverified_header(token)
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    assert "d" not in key
    config = (await client.get("/.well-known/openid-configuration")).json()
    claims = jwt.decode(
        token,
        jwt.PyJWK(key).key,
        algorithms=["ES256"],
        audience="relatiebeheer",
        issuer=config["issuer"],
    )
    assert claims["sub"] == admin.id
    assert claims["role"] == "MANAGER"
    assert {"iat", "exp", "jti"} <= set(claims)


async def test_wrong_password_and_unknown_email_get_the_same_answer(api):
    admin = await make_employee("ADMIN")
    wrong = await api.gql(LOGIN, {"e": admin.employee.email, "p": "not-the-password-1"})
    unknown = await api.gql(LOGIN, {"e": "nobody@kantoor.example", "p": "not-the-password-1"})
    assert wrong["login"]["session"] is None
    assert wrong["login"]["errors"] == unknown["login"]["errors"]
    assert wrong["login"]["errors"][0]["code"] == "INVALID"


async def test_repeated_failures_lock_the_account_even_for_the_right_password(api):
    admin = await make_employee("ADMIN")
    for _ in range(5):
        await api.gql(LOGIN, {"e": admin.employee.email, "p": "wrong-password-123"})
    locked = await api.gql(LOGIN, {"e": admin.employee.email, "p": PASSWORD})
    assert locked["login"]["session"] is None
    assert locked["login"]["errors"][0]["code"] == "THROTTLED"


async def test_every_operation_but_login_needs_a_token(api):
    response = await api.post(ME)
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    forged = await api.post(ME, token="eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
    assert forged.status_code == 401


async def test_only_an_admin_creates_employees(api):
    admin = await make_employee("ADMIN")
    manager = await make_employee("MANAGER")
    payload = {
        "name": "Nieuwe Collega",
        "email": "nieuw@kantoor.example",
        "role": "EMPLOYEE",
        "password": "Lang-en-sterk-wachtwoord-7",
    }
    refused = await api.gql(CREATE, {"i": payload}, token=manager.token)
    assert refused["createEmployee"]["employee"] is None
    assert refused["createEmployee"]["errors"][0]["code"] == "FORBIDDEN"
    created = await api.gql(CREATE, {"i": payload}, token=admin.token)
    assert created["createEmployee"]["employee"]["email"] == "nieuw@kantoor.example"
    again = await api.gql(CREATE, {"i": payload}, token=admin.token)
    assert again["createEmployee"]["errors"] == [
        {
            "field": ["input", "email"],
            "code": "CONFLICT",
            "message": "An employee with this e-mail exists.",
        }
    ]


async def test_bad_employee_input_reports_every_field_and_writes_nothing(api):
    admin = await make_employee("ADMIN")
    payload = {"name": " ", "email": "geen-email", "role": "EMPLOYEE", "password": "kort"}
    result = await api.gql(CREATE, {"i": payload}, token=admin.token)
    fields = sorted(tuple(e["field"]) for e in result["createEmployee"]["errors"])
    assert fields == [("input", "email"), ("input", "name"), ("input", "password")]
    employees = await api.gql("{ employees { email } }", token=admin.token)
    assert [e["email"] for e in employees["employees"]] == [admin.employee.email]


async def test_malformed_body_is_400_and_unknown_field_a_validation_error(api, client):
    admin = await make_employee("ADMIN")
    bad = await client.post(
        "/graphql",
        content=b"{not json",
        headers={"content-type": "application/json", "authorization": f"Bearer {admin.token}"},
    )
    assert bad.status_code == 400
    unknown = await api.post("{ me { shoeSize } }", token=admin.token)
    assert unknown.status_code == 200
    assert "shoeSize" in unknown.json()["errors"][0]["message"]


async def test_deep_queries_and_alias_floods_are_refused(api):
    admin = await make_employee("ADMIN")
    deep = "{ me { " + "assignments { employee { " * 8 + "id" + " } }" * 8 + " } }"
    body = (await api.post(deep, token=admin.token)).json()
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    aliases = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(50)) + " }"
    body = (await api.post(aliases, token=admin.token)).json()
    assert "aliases" in body["errors"][0]["message"]


async def test_oversized_body_is_refused_with_413(client):
    response = await client.post(
        "/graphql", content=b"x" * 1_000_001, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


async def test_healthz_answers_200_with_the_database_up(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_graphiql_is_served_to_browsers(client):
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
