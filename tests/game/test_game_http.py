"""The game's endpoints over HTTP (Starlette's TestClient): a team sees and changes only its own
firm; another team's code, a guessed URL or a forged form gets nothing; instructor actions need
the key; wrong codes are rate-limited."""

from __future__ import annotations

import warnings

import pytest
from starlette.applications import Starlette

with warnings.catch_warnings():  # Starlette 0.52's test client names an alias anyio deprecates
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient

from sim.apps.game.access import CODE_HEADER, form_token
from sim.apps.game.codes import Throttle
from sim.apps.game.debrief import write_debrief
from sim.apps.game.http import routes

pytest_plugins = ["game_fixtures"]  # the game's fixtures (tests/game/game_fixtures.py)

BASE = "http://testserver"


@pytest.fixture
def served(new_game):
    game, codes, key = new_game(teams=3, bots=0)
    app = Starlette(routes=routes(game, Throttle(limit=5, window=60)))
    return game, codes, key, app


def joined(app, path: str, code: str) -> TestClient:
    client = TestClient(app, base_url=BASE)
    reply = client.post(path, data={"code": code}, follow_redirects=False)
    assert reply.status_code == 303, reply.text
    return client


def test_a_team_sees_only_its_own_firm(served):
    game, codes, _, app = served
    game.submit(1, {"price": 77.0}, key="b")
    game.advance()
    team = joined(app, "/join", codes[0])
    state = team.get("/api/team").json()
    assert state["team"] == "Team 1" and state["firm"] == "ProductCo"
    assert len(state["results"]) == 2 and state["round"] == 2
    text = team.get("/api/team").text
    assert "CustomerCo" not in text and "MarketCo" not in text and "77.0" not in text
    counts = state["customers"]["by_segment"]
    assert sum(map(sum, counts.values())) == 400  # every customer, by stage, with this firm
    other = joined(app, "/join", codes[1]).get("/api/team").json()
    assert other["firm"] == "CustomerCo" and other["decision"]["price"] == 77.0


def test_a_decision_changes_only_the_senders_firm(served):
    game, codes, _, app = served
    team = joined(app, "/join", codes[0])
    token = team.get("/api/team").json()["csrf"]
    form = {"price": "105", "crm": "2", "advertising": "", "round": "1", "key": "f1", "csrf": token}
    reply = team.post("/api/team/decision", data=form)
    assert reply.status_code == 200 and reply.json()["fresh"] is True
    assert team.post("/api/team/decision", data=form).json()["fresh"] is False  # double click
    assert game.submitted() == {0}
    assert game.current_decision(0).price == 105.0 and game.current_decision(0).crm == 2.0
    assert game.current_decision(1).price == 100.0  # untouched
    # a seat number in the form is ignored: there is no way to name another seat
    team.post("/api/team/decision", data=form | {"seat": "1", "key": "f2"})
    assert game.submitted() == {0}


def test_forged_and_foreign_forms_get_nothing(served):
    game, codes, _, app = served
    team = joined(app, "/join", codes[0])
    form = {"price": "50", "round": "1", "key": "x"}
    assert team.post("/api/team/decision", data=form).status_code == 403  # no token
    other_token = form_token(codes[1])  # a token served to another team
    assert team.post("/api/team/decision", data=form | {"csrf": other_token}).status_code == 403
    good = form | {"csrf": form_token(codes[0])}
    evil = {"Origin": "http://evil.example"}
    assert team.post("/api/team/decision", data=good, headers=evil).status_code == 403
    stranger = TestClient(app, base_url=BASE)
    assert stranger.get("/api/team").status_code == 403
    assert stranger.post("/api/team/decision", data=good).status_code == 403
    assert stranger.get("/api/team?seat=1").status_code == 403
    assert game.submitted() == set()


def test_a_bad_decision_is_refused_with_its_field(served):
    game, codes, _, app = served
    headers = {CODE_HEADER: codes[2]}  # a script: the code in a header, no form token
    client = TestClient(app, base_url=BASE)
    body = {"price": 90, "advertising": 6, "rd": 5, "key": "s1"}
    reply = client.post("/api/team/decision", json=body, headers=headers)
    assert reply.status_code == 400 and "over budget" in reply.json()["error"]
    reply = client.post("/api/team/decision", json={"tier_share": 2, "key": "s2"}, headers=headers)
    assert reply.status_code == 400
    assert "tier_share=2 (allowed: a number from 0 to 1" in reply.json()["error"]
    reply = client.post("/api/team/decision", json={"price": 90, "key": "s3"}, headers=headers)
    assert reply.status_code == 200 and game.submitted() == {2}
    late = client.post(
        "/api/team/decision", json={"price": 91, "key": "s4", "round": 7}, headers=headers
    )
    assert late.status_code == 409 and "the open round is 1" in late.json()["error"]


def test_instructor_actions_need_the_key(served):
    game, codes, key, app = served
    team = joined(app, "/join", codes[0])
    token = form_token(codes[0])
    for path in ("/api/instructor", "/api/instructor/export.csv"):
        assert team.get(path).status_code == 403
    assert team.post("/api/instructor/advance", data={"csrf": token}).status_code == 403
    assert game.open_round == 1
    teacher = joined(app, "/instructor/join", key)
    state = teacher.get("/api/instructor").json()
    assert [t["submitted"] for t in state["teams"]] == [False, False, False]
    assert teacher.post("/api/instructor/advance", data={}).status_code == 403  # no token
    token = state["csrf"]
    assert teacher.post("/api/instructor/advance", data={"csrf": token}).json() == {"played": 1}
    lock = teacher.post("/api/instructor/lock", data={"csrf": token})
    assert lock.json() == {"locked": True} and game.store.status().locked
    shock = {"csrf": token, "kind": "scandal", "firm": "CustomerCo", "image_loss": "5"}
    assert teacher.post("/api/instructor/shock", data=shock).json()["scheduled"]["period"] == 3
    refused = teacher.post("/api/instructor/shock", data={"csrf": token, "kind": "scandal"})
    assert refused.status_code == 409, refused.text
    assert refused.json() == {
        "error": "a scandal needs a firm: one of ProductCo, CustomerCo, MarketCo"
    }
    csv = teacher.get("/api/instructor/export.csv")
    assert csv.status_code == 200 and csv.text.count("\n") == 1 + 2 * 3
    board = teacher.get("/api/instructor?measure=customer_equity").json()["leaderboard"]
    assert len(board) == 3 and board[0]["value"] >= board[-1]["value"]
    # the key does not make a team: it opens no team page
    assert TestClient(app, base_url=BASE).post("/join", data={"code": key}).status_code == 403


def test_wrong_codes_are_rate_limited(served):
    _, codes, key, app = served
    client = TestClient(app, base_url=BASE)
    for _ in range(6):  # an empty form (Enter pressed too soon) is not a guess: it counts not
        assert client.post("/join", data={"code": "  "}).status_code == 403
    assert client.post("/join", data={"code": codes[0]}, follow_redirects=False).status_code == 303
    client = TestClient(app, base_url=BASE)
    for guess in range(5):
        assert client.post("/join", data={"code": f"guess{guess}"}).status_code == 403
    assert client.post("/join", data={"code": codes[0]}).status_code == 429  # even the right one
    headers = {CODE_HEADER: codes[0]}
    reply = client.get("/api/team", headers=headers)
    assert reply.status_code == 429 and int(reply.headers["Retry-After"]) > 0
    assert client.get("/api/instructor", headers={CODE_HEADER: key}).status_code == 429


def test_the_debrief_page_is_the_instructors(served):
    game, codes, key, app = served
    game.advance()
    teacher = joined(app, "/instructor/join", key)
    assert teacher.get("/api/instructor/debrief.html").status_code == 409  # not run yet
    write_debrief(game, seeds=2)
    page = teacher.get("/api/instructor/debrief.html")
    assert page.status_code == 200 and "Luck or skill" in page.text and "Team 3" in page.text
    assert joined(app, "/join", codes[0]).get("/api/instructor/debrief.html").status_code == 403


def test_research_reports_reach_only_the_team_that_bought_them(served):
    game, codes, _, app = served
    team = joined(app, "/join", codes[0])
    token = team.get("/api/team").json()["csrf"]
    form = {"studies": "survey,benchmarking", "round": "1", "key": "r1", "csrf": token}
    assert team.post("/api/team/decision", data=form).status_code == 200
    state = team.get("/api/team").json()
    assert state["studies"] == ["benchmarking", "survey"] and state["research"] == []
    assert state["research_prices"]["survey"] == 0.25
    too_much = form | {"advertising": "8", "key": "r2"}
    refused = team.post("/api/team/decision", data=too_much)
    assert refused.status_code == 400
    assert "study benchmarking 0.5 + study survey 0.25 = 8.75 $" in refused.json()["error"]
    game.advance()  # the reports are drawn once the round is played …
    mine = team.get("/api/team").json()
    assert [r["study"] for r in mine["research"][0]["reports"]] == ["benchmarking", "survey"]
    assert mine["research"][0]["round"] == 1
    assert mine["results"][0]["cost_studies"] == 0.75 * 400
    other = joined(app, "/join", codes[1])
    theirs = other.get("/api/team")
    assert theirs.json()["research"] == [] and "respondents" not in theirs.text  # … for it only
    assert theirs.json()["results"][0]["cost_studies"] == 0
