"""Load test: gunicorn serving the registry, concurrent signed-in officers reading, searching and writing.

Usage: python bench/load.py [--engine sqlite|postgresql] [--clients 20] [--seconds 60]
                            [--max-requests 200000] [--persons 20000] [--awards 100000]
                            [--workers 4] [--threads 4]

A fresh registry (SQLite in a temporary folder, or a scratch PostgreSQL database
"bench_registry" on 127.0.0.1:5432, dropped afterwards) is filled like `manage.py seed_bench`,
then gunicorn serves it on a free loopback port with DEBUG off. Each client signs in as its
own officer and, until the time or the request budget runs out, mixes
- reads: the honours list at a random page, an award, a person, a decision, a unit;
- searches: an unaccented name in the list, the recipient search of the decision form, a unit
  subtree and year range;
- writes: recording a decision (open the form, post 1–3 recipients) and correcting an award
  (open the form, change the achievement, post with the version read). Corrections of one
  award by two clients at once are expected: the later one is refused as stale, shown
  again, and that is not an error.
Every answer other than the expected one (a 5xx, a refused write, a broken connection) counts
as an error. Afterwards, with the server stopped, every acknowledged write is looked for:
each decision with exactly its recipients; register numbers of the book written to unique,
gapless and equal to the book's counter; each acknowledged correction in the award's history
and no correction lost (an award's version is one more than its acknowledged corrections).
The server's log is searched for "database is locked". The last line is one JSON object.
"""

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, close_registry, fill, machine, open_registry, percentile  # noqa: E402

PASSWORD = "load-test-2026"
WRITE_YEAR = 2022  # the seeded registry stops at 2021: the load writes a book of its own


class FormParser(HTMLParser):
    """The fields of each POST form in a page, as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": (a.get("method") or "get").lower(), "fields": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") not in ("submit", "button", "file"):
                default = "on" if a.get("type") in ("checkbox", "radio") else ""
                self._form["fields"][a["name"]] = a.get("value", default)
        elif tag == "select":
            self._select = a.get("name")
            self._form["fields"].setdefault(self._select, None)
        elif tag == "option" and self._select:
            if self._form["fields"][self._select] is None or "selected" in a:  # the first, or the chosen one
                self._form["fields"][self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._form["fields"][self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data


def form_with(page, field):
    parser = FormParser()
    parser.feed(page)
    return next(f["fields"] for f in parser.forms if f["method"] == "post" and field in f["fields"])


class Browser:
    """One signed-in person: cookies, CSRF token, a connection per request (loopback)."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, data=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Connection": "close",
                   "Host": "127.0.0.1", "Accept-Language": "vi"}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read().decode("utf-8", "replace")
            for header in response.msg.get_all("Set-Cookie") or []:
                cookie = SimpleCookie(header)
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
            return response.status, response.getheader("Location", ""), content
        finally:
            conn.close()


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests, self.errors, self.error_samples = 0, 0, []
        self.latency = {}
        self.decisions, self.corrections, self.conflicts = {}, [], 0

    def record(self, kind, ms, ok, what=""):
        with self.lock:
            self.requests += 1
            self.latency.setdefault(kind, []).append(ms)
            if not ok:
                self.errors += 1
                if len(self.error_samples) < 10:
                    self.error_samples.append(what)


def client_loop(index, port, plan, tally, deadline, budget):
    rng = random.Random(index)
    browser = Browser(port)
    mine = plan["people"][index::plan["clients"]]

    def call(kind, method, path, data=None, expect=(200,)):
        start = time.perf_counter()
        try:
            status, location, content = browser.request(method, path, data)
        except Exception as error:  # a broken or refused connection is an error, not a crash
            tally.record(kind, (time.perf_counter() - start) * 1000, False, f"{kind} {path}: {error!r}")
            return None, "", ""
        ok = status in expect
        tally.record(kind, (time.perf_counter() - start) * 1000, ok, f"{kind} {method} {path}: {status}")
        return status, location, content

    status, _loc, page = call("sign-in", "GET", "/sign-in/")
    fields = form_with(page, "username")
    fields.update(username=f"load-officer-{index:02d}", password=PASSWORD)
    status, _loc, _page = call("sign-in", "POST", "/sign-in/", fields, expect=(302,))
    if status != 302:
        return
    written = 0
    while time.monotonic() < deadline:
        with tally.lock:
            if tally.requests >= budget:
                return
        roll = rng.random()
        if roll < 0.45:  # reads
            target = rng.choice(["list", "award", "person", "decision", "unit"])
            path = {"list": lambda: f"/honours/?page={rng.randint(1, plan['pages'])}",
                    "award": lambda: f"/honours/{rng.choice(plan['awards'])}/",
                    "person": lambda: f"/people/{rng.choice(plan['all_people'])}/",
                    "decision": lambda: f"/decisions/{rng.choice(plan['decisions'])}/",
                    "unit": lambda: f"/units/{rng.choice(plan['units'])}/"}[target]()
            call(f"read {target}", "GET", path)
        elif roll < 0.75:  # searches
            name = rng.choice(plan["names"])
            target = rng.choice(["list", "recipients", "subtree"])
            path = {"list": f"/honours/?{urlencode({'q': name})}",
                    "recipients": f"/recipients/search/?{urlencode({'q': name})}",
                    "subtree": f"/honours/?{urlencode({'unit': rng.choice(plan['units']), 'year_min': 2015, 'year_max': 2021})}"}[target]
            call(f"search {target}", "GET", path)
        elif roll < 0.88 and written + 3 <= len(mine):  # record a decision
            status, _loc, page = call("write decision", "GET", "/decisions/new/")
            if status != 200:
                continue
            csrf = form_with(page, "number")["csrfmiddlewaretoken"]
            people = mine[written:written + rng.randint(1, 3)]
            written += len(people)
            number = f"T{index:02d}-{written:05d}/QĐ-TẢI"
            data = {
                "csrfmiddlewaretoken": csrf, "number": number, "date": "2023-01-10",
                "authority": plan["authority"], "kind": "annual", "achievement_year": str(WRITE_YEAR),
                "title": plan["title"], "subject": "Về việc tặng Giấy khen (thử tải)",
                "reason": "Đã có thành tích xuất sắc", "signer_title": "THỦ TRƯỞNG", "signer_name": "Vũ Thanh Bình",
                "rows-TOTAL_FORMS": str(len(people)), "rows-INITIAL_FORMS": "0",
                "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "3000",
            }
            for i, person in enumerate(people):
                data.update({f"rows-{i}-recipient": f"p:{person}", f"rows-{i}-title": "", f"rows-{i}-achievement": ""})
            status, location, _page = call("write decision", "POST", "/decisions/new/", data, expect=(302,))
            if status == 302:
                with tally.lock:
                    tally.decisions[number] = sorted(people)
        else:  # correct an award, shared with the other clients: conflicts happen
            award = rng.choice(plan["contested"])
            status, _loc, page = call("write correction", "GET", f"/honours/{award}/correct/")
            if status != 200:
                continue
            fields = form_with(page, "version")
            token = f"Thử tải {index:02d}-{rng.getrandbits(40):010x}"
            fields.update(achievement=token, note="Thử tải")
            status, _loc, page = call("write correction", "POST", f"/honours/{award}/correct/", fields,
                                      expect=(302, 200))
            if status == 302:
                with tally.lock:
                    tally.corrections.append((award, token))
            elif status == 200:
                stale = 'id="stale"' in page
                with tally.lock:
                    if stale:
                        tally.conflicts += 1
                    else:  # shown again for another reason: a refused write
                        tally.errors += 1
                        tally.error_samples.append(f"correction of {award} refused: not stale")


def prepare(args):
    """Fill the registry and make the officers; returns what the clients need."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from awards import roles
    from awards.models import Authority, Award, Decision, Person, Profile, Title, Unit

    made = fill(args.persons, args.awards, units=args.units)
    root = made["root"]
    roles.ensure_roles()
    officers = Group.objects.get(name=roles.OFFICER)
    User = get_user_model()
    for i in range(args.clients):
        user = User.objects.create_user(f"load-officer-{i:02d}", password=PASSWORD)
        user.groups.add(officers)
        Profile.objects.update_or_create(user=user, defaults={"scope_unit": root})
    rng = random.Random(7)
    people = list(Person.objects.values_list("pk", flat=True))
    fresh = rng.sample(people, min(len(people), args.clients * 600))
    names = [n for n in Person.objects.values_list("search_key", flat=True)[:2000]]
    award_ids = list(Award.objects.order_by("?").values_list("pk", flat=True)[:5000])
    return {
        "clients": args.clients, "people": fresh, "all_people": people[:: max(1, len(people) // 5000)],
        "names": [" ".join(n.split()[::2]) or n for n in names],
        "awards": award_ids, "contested": award_ids[:40], "pages": max(1, min(500, Award.objects.count() // 50)),
        "decisions": list(Decision.objects.values_list("pk", flat=True)[:5000]),
        "units": list(Unit.objects.values_list("pk", flat=True)[:2000]),
        "authority": Authority.objects.get(unit=root).pk, "title": Title.objects.get(code="gk").pk,
    }


def verify(plan, tally):
    """Every acknowledged write, looked for in the database after the server has stopped."""
    from collections import Counter

    from django.contrib.contenttypes.models import ContentType

    from awards.models import AuditEntry, Award, Decision, RegisterCounter

    found, problems = 0, []
    book = Award.objects.filter(authority_id=plan["authority"], year=WRITE_YEAR)
    for number, people in tally.decisions.items():
        decision = Decision.objects.filter(number=number, authority_id=plan["authority"]).first()
        got = sorted(book.filter(decision=decision).values_list("person_id", flat=True)) if decision else None
        if got == people:
            found += 1
        else:
            problems.append(f"decision {number}: expected people {people}, found {got}")
    numbers = sorted(book.values_list("register_number", flat=True))
    counter = RegisterCounter.objects.filter(authority_id=plan["authority"], year=WRITE_YEAR).first()
    expected_awards = sum(len(p) for p in tally.decisions.values())
    register_ok = numbers == list(range(1, len(numbers) + 1)) and len(numbers) == expected_awards and \
        (counter.last_number if counter else 0) == len(numbers)
    if not register_ok:
        problems.append(f"register book {WRITE_YEAR}: {len(numbers)} numbers, {expected_awards} acknowledged, "
                        f"counter {counter.last_number if counter else None}, gapless "
                        f"{numbers == list(range(1, len(numbers) + 1))}")
    if Decision.objects.filter(authority_id=plan["authority"], achievement_year=WRITE_YEAR).count() > len(tally.decisions):
        problems.append("decisions written that were never acknowledged")
    award_type = ContentType.objects.get_for_model(Award)
    per_award = Counter(award for award, _token in tally.corrections)
    tokens = {}
    for award, token in tally.corrections:
        tokens.setdefault(award, set()).add(token)
    for award_id, count in per_award.items():
        award = Award.objects.get(pk=award_id)
        history = "".join(json.dumps(e.changes, ensure_ascii=False)
                          for e in AuditEntry.objects.filter(content_type=award_type, object_id=str(award_id)))
        seen = sum(1 for token in tokens[award_id] if token in history)
        found += seen
        if award.version != 1 + count or award.achievement not in tokens[award_id] or seen != len(tokens[award_id]):
            problems.append(f"award {award_id}: version {award.version} after {count} acknowledged corrections, "
                            f"{seen} of them in its history")
    return found, register_ok, problems


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=200000)
    parser.add_argument("--persons", type=int, default=20000)
    parser.add_argument("--awards", type=int, default=100000)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    scratch = open_registry(args.engine)
    from django.db import connections

    server = None
    try:
        start = time.perf_counter()
        plan = prepare(args)
        build_seconds = time.perf_counter() - start
        connections.close_all()
        port = free_port()
        log_path = Path(os.environ["REGISTRY_DATA_DIR"]) / "gunicorn.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "registry.wsgi:application", "--bind", f"127.0.0.1:{port}",
                 "--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.threads),
                 "--timeout", "120", "--graceful-timeout", "30"],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                if Browser(port).request("GET", "/sign-in/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"gunicorn did not answer; see {log_path}")
        tally = Tally()
        deadline = time.monotonic() + args.seconds
        began = time.perf_counter()
        threads = [threading.Thread(target=client_loop, args=(i, port, plan, tally, deadline, args.max_requests))
                   for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        server = None
        log_text = log_path.read_text(errors="replace")
        locked = log_text.lower().count("database is locked")
        server_errors = len(re.findall(r"^(?:Internal Server Error|Traceback)", log_text, re.M))
        found, register_ok, problems = verify(plan, tally)
    finally:
        if server is not None:
            server.kill()
        close_registry(args.engine, scratch)

    acknowledged = len(tally.decisions) + len(tally.corrections)
    by_kind = {kind: {"requests": len(ms), "median_ms": round(statistics.median(ms), 1),
                      "p95_ms": round(percentile(ms, 95), 1)} for kind, ms in sorted(tally.latency.items())}
    figures = {
        "engine": args.engine, "database_url": os.environ["DATABASE_URL"].split("@")[-1], "clients": args.clients, "seconds": round(elapsed, 1), "requests": tally.requests,
        "requests_per_second": round(tally.requests / elapsed, 1), "errors": tally.errors,
        "database_locked": locked, "server_tracebacks": server_errors,
        "writes_acknowledged": acknowledged, "writes_found": found,
        "decisions_acknowledged": len(tally.decisions), "awards_written": sum(len(p) for p in tally.decisions.values()),
        "corrections_acknowledged": len(tally.corrections), "corrections_refused_as_stale": tally.conflicts,
        "register_numbers_ok": register_ok, "problems": problems[:10], "error_samples": tally.error_samples,
        "registry": {"persons": args.persons, "awards": args.awards, "build_seconds": round(build_seconds, 1)},
        "server": f"gunicorn, {args.workers} workers × {args.threads} threads", "kinds": by_kind,
        "machine": machine(),
    }
    print(f"Load test — {args.engine} ({figures['database_url']}), {args.clients} clients, {figures['seconds']} s, {figures['server']}, "
          f"registry of {args.awards} awards ({figures['machine']})")
    print(f"  {'request':<20} {'count':>7} {'median':>9} {'p95':>9}")
    for kind, row in by_kind.items():
        print(f"  {kind:<20} {row['requests']:>7} {row['median_ms']:>7.1f}ms {row['p95_ms']:>7.1f}ms")
    print(f"  requests {tally.requests} ({figures['requests_per_second']}/s), errors {tally.errors}, "
          f"'database is locked' {locked}, tracebacks in the server log {server_errors}")
    print(f"  writes acknowledged {acknowledged} ({len(tally.decisions)} decisions with {figures['awards_written']} "
          f"awards, {len(tally.corrections)} corrections; {tally.conflicts} corrections refused as stale), "
          f"found afterwards {found}; register numbers unique and gapless: {register_ok}")
    for line in problems[:10] + tally.error_samples:
        print(f"  ! {line}")
    print(json.dumps(figures, ensure_ascii=False))
    if tally.errors or locked or problems or found != acknowledged:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
