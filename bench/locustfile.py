"""Locust users for bench/load.py; settings come as JSON in DVK_LOAD:

- scenario "pages": every user GETs `path` with one of `cookies` (session ids), no think
  time — the benchmark's 20 concurrent clients;
- scenario "soak": readers GET `paths` (weight 4, 0.5–2 s think time) with `cookies`;
  writers (weight 1) create models through the API with one of `tokens` for `unit` and
  record each id the server acknowledged, so lost writes can be counted afterwards.
429 answers (deliberate rate limiting) are counted apart, not as failures.
"""
import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, between, constant, events, task

S = json.loads(os.environ["DVK_LOAD"])
RECORDED = {"throttled": 0, "written": [], "refused": []}


@events.quitting.add_listener
def _save(environment, **_kwargs):
    Path(S["result"]).write_text(json.dumps(RECORDED))


def _get(user, path, name=None):
    with user.client.get(path, name=name or path, headers=user.cookie,
                         catch_response=True) as r:
        if r.status_code == 429:
            RECORDED["throttled"] += 1
            r.success()
        elif r.status_code != 200:
            r.failure(f"HTTP {r.status_code}")


class _Signed(FastHttpUser):
    abstract = True

    def on_start(self):
        self.cookie = {"Cookie": f"sessionid={random.choice(S['cookies'])}"}


if S["scenario"] == "pages":
    class PageUser(_Signed):
        wait_time = constant(0)

        @task
        def page(self):
            _get(self, S["path"], S.get("name"))

else:
    class Reader(_Signed):
        weight = 4
        wait_time = between(0.5, 2)

        @task
        def page(self):
            _get(self, random.choice(S["paths"]))

    class Writer(FastHttpUser):
        weight = 1
        wait_time = between(0.5, 2)

        @task
        def create_model(self):
            n = random.randrange(10**9)
            body = {"unit": S["unit"], "kind": "collective", "field_id": S["field_id"],
                    "title": f"{S['title']} {n}", "subject": "Tổ dân phố", "start_year": 2026}
            headers = {"Authorization": f"Bearer {random.choice(S['tokens'])}"}
            with self.client.post("/api/v1/initiatives", json=body, headers=headers,
                                  name="POST /api/v1/initiatives", catch_response=True) as r:
                if r.status_code == 201:
                    RECORDED["written"].append(r.json()["id"])
                elif r.status_code == 429:
                    RECORDED["throttled"] += 1
                    r.success()
                else:
                    RECORDED["refused"].append(r.status_code)
                    r.failure(f"HTTP {r.status_code}")
