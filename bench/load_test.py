"""Load test (a script, not a unit test): a meeting room of overview viewers with live refresh and a
few staff sessions filtering and exporting, against one local server, timed inside the server.

    .venv/bin/python bench/load_test.py [--viewers 20] [--staff 3] [--seconds 120] [--participants 100000]

On its own demo database it starts `python -m delegation serve` (127.0.0.1, a free port) with the
run log on (DELEGATION_RUN_LOG: one line per script run, delegation/ui/run_log.py) and a copy of the
event configuration whose `refresh_seconds` is short (--refresh-seconds, 5), so that a bounded run
sees many refreshes. Then, in order:

1. warm-up: one viewer opens the overview (imports, the connection, the first query);
2. single session: one viewer and one staff session alone (--single-seconds) → each kind's p50;
3. the meeting room (--seconds): --viewers overview viewers joining over a few seconds, --staff staff
   sessions on the registrations page (province filter, search, CSV and Excel exports, clear);
4. quiet: the viewers alone, the data unchanged, three refresh periods → server CPU per viewer per
   refresh;
5. moving: the viewers alone, a form imported every refresh period → the same with the data changing.

Throughout 2 and 3 a small Annex 2 workbook is dropped into the inbox the server watches every
--import-seconds (the way a staffer adds a form while the desk runs; `delegation/inbox.py`), so live
refresh really reruns the overview.

Viewers are protocol clients (not browsers, which on two cores would measure Chromium): each speaks
Streamlit's websocket protocol (`/_stcore/stream`, BackMsg / ForwardMsg protobufs), sends
`rerun_script` as the frontend does on opening the page, and honours the server's `auto_rerun`
(interval, fragment id) as the browser does: a `rerun_script` with that fragment id and
`is_auto_rerun` every interval, so the refresh fragment runs on its timer. Staff sessions are
headless Chromium pages (Playwright, Debian's /usr/bin/chromium), since they click widgets and wait
for downloads.

Errors: an exception element in a Chromium page, an exception delta, a compile error, a
page-not-found or a closed socket at a protocol client, a failed download or import, any timeout.
Zero is the bar: the script exits 1 on any. Times come from the run log, not from the clients'
clocks. `load_run` returns the figures for bench/run.py.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import itertools
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.app_bench import free_port, start_server  # noqa: E402
from bench.common import demo  # noqa: E402

AS_OF = "2023-03-31"
QUERY = f"as_of={AS_OF}&lang=en"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'  # the run is over
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
STARTS_S = 5  # the longest a click's run may take to begin
WAIT_S = 60  # the longest any one step may take: a run, a click, a download
JOIN_S = 5  # the meeting room fills up over this many seconds
CORE_REFRESH_S = 30  # the refresh period "viewers one core can carry" is asked at
KINDS = {  # report rows: (kind, page) of the run log
    "overview page runs": ("page", "overview"),
    "refresh fragment runs": ("refresh", "overview"),
    "staff page runs": ("page", "registrations"),
}


@dataclass
class Tally:
    """What the clients saw: their errors and how many runs they waited for."""

    errors: list[str] = field(default_factory=list)
    viewer_runs: int = 0
    staff_actions: int = 0
    downloads: int = 0
    imports: int = 0
    first_runs: int = 0  # viewers whose first page run is over


# ----------------------------------------------------------------------------- protocol viewers


def _rerun(fragment_id: str = "", page_hash: str = "") -> bytes:
    """The BackMsg the frontend sends to run the page (or, with a fragment id, one fragment on its
    timer): the page's query string, no widget changed."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    state = ClientState(
        query_string=QUERY,
        widget_states=WidgetStates(),
        page_script_hash=page_hash,
        fragment_id=fragment_id,
        is_auto_rerun=bool(fragment_id),
    )
    return BackMsg(rerun_script=state).SerializeToString()


async def viewer(
    port: int, start: float, until: float, tally: Tally, stop: asyncio.Event | None = None
) -> None:
    """One overview viewer over the websocket protocol from `start` to `until` (monotonic), or
    until `stop` is set."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    await asyncio.sleep(max(0.0, start - time.monotonic()))
    if time.monotonic() >= until:
        return
    page_hash = ""
    timers: dict[str, list[float]] = {}  # fragment id → [interval, next due]
    running_since: float | None = time.monotonic()
    seen_one = False
    try:
        async with connect(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=WAIT_S,
        ) as ws:
            await ws.send(_rerun())
            while (now := time.monotonic()) < until and not (stop and stop.is_set()):
                if running_since is not None and now - running_since > WAIT_S:
                    tally.errors.append("viewer: a run did not finish in time")
                    return
                for fragment_id, timer in timers.items():
                    if timer[1] <= now:  # the browser's setInterval: one rerun per interval
                        timer[1] += timer[0]
                        await ws.send(_rerun(fragment_id, page_hash))
                        running_since = running_since or now
                due = min([t[1] for t in timers.values()] + [until])
                try:
                    data = await asyncio.wait_for(ws.recv(), timeout=max(0.01, min(due - now, 1.0)))
                except TimeoutError:
                    continue
                msg = ForwardMsg.FromString(data)
                kind = msg.WhichOneof("type")
                if kind == "new_session":
                    page_hash = msg.new_session.page_script_hash or page_hash
                    if not msg.metadata.run.fragment_ids:  # a whole run: its fragments ask again
                        timers.clear()
                    running_since = running_since or time.monotonic()
                elif kind == "navigation":
                    page_hash = msg.navigation.page_script_hash or page_hash
                elif kind == "auto_rerun":
                    interval = msg.auto_rerun.interval
                    timers[msg.auto_rerun.fragment_id] = [interval, time.monotonic() + interval]
                elif kind == "stop_auto_rerun":
                    for fragment_id in msg.stop_auto_rerun.fragment_ids:
                        timers.pop(fragment_id, None)
                elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    if msg.delta.new_element.WhichOneof("type") == "exception":
                        tally.errors.append("viewer: exception " + msg.delta.new_element.exception.type)
                elif kind == "session_event":
                    if msg.session_event.WhichOneof("type") == "script_compilation_exception":
                        tally.errors.append("viewer: compile error")
                elif kind == "page_not_found":
                    tally.errors.append("viewer: page not found")
                elif kind == "script_finished":
                    if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        tally.errors.append("viewer: compile error")
                    tally.first_runs += not seen_one
                    seen_one = True
                    tally.viewer_runs += 1
                    running_since = None
    except Exception as exc:  # a refused or closed socket, a timeout on opening
        tally.errors.append(f"viewer: {type(exc).__name__}")


# ----------------------------------------------------------------------------- staff in Chromium


async def _settled(page, reruns: bool = True) -> None:
    """Wait until the run a click started is over: it has begun (the app's root says running; on
    a loaded server that can take seconds, and clicking on meanwhile hits a page being redrawn),
    then the root says notRunning. `reruns=False` for a click that starts no run (a download)."""
    if reruns:
        with contextlib.suppress(PlaywrightTimeout):  # over before it was seen
            await page.wait_for_selector(RUNNING, timeout=STARTS_S * 1000)
    await page.wait_for_selector(DONE, timeout=WAIT_S * 1000)


async def _filter(page, step: int) -> None:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has=page.get_by_text("Province", exact=True)
    )
    await box.locator("input").click()
    options = page.get_by_role("option")
    await options.first.wait_for(timeout=WAIT_S * 1000)
    await options.nth(step % max(1, await options.count())).click()
    await page.keyboard.press("Escape")
    await _settled(page)


async def _search(page, step: int) -> None:
    box = page.locator('[data-testid="stMain"]').get_by_role("textbox", name="Search")
    await box.fill(["su", "zhang", "li", "group"][step % 4])
    await box.press("Enter")
    await _settled(page)


async def _export(page, label: str, ending: str, tally: Tally) -> None:
    """Make the export (a click and its run), then save it (a click that starts no run) from the
    button the run put in its place — not the one a file made before still shows until then."""
    await page.get_by_role("button", name=label).first.click()
    await _settled(page)
    save = page.get_by_role("button", name=re.compile(rf"^Save .*\.{ending}$"))
    async with page.expect_download(timeout=WAIT_S * 1000) as info:
        await save.first.click(timeout=WAIT_S * 1000)
    download = await info.value
    failure = await download.failure()
    if failure:
        tally.errors.append(f"staff: {label} download failed ({failure})")
        return
    path = await download.path()
    if not path or os.path.getsize(path) == 0:
        tally.errors.append(f"staff: {label} download empty")
        return
    tally.downloads += 1
    await _settled(page, reruns=False)


async def _clear(page, step: int) -> None:
    await page.get_by_role("button", name="Clear filters").click()
    await _settled(page)
    box = page.locator('[data-testid="stMain"]').get_by_role("textbox", name="Search")
    await box.fill("")
    await box.press("Enter")
    await _settled(page)


async def staff(browser, url: str, start: float, until: float, tally: Tally) -> None:
    """One staff session on the registrations page: filter, search, export CSV and Excel, clear."""
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    context = await browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        await page.goto(f"{url}/registrations?{QUERY}", timeout=WAIT_S * 1000)
        await page.wait_for_selector('[data-testid="stDataFrame"]', timeout=WAIT_S * 1000)
        await page.wait_for_selector(DONE, timeout=WAIT_S * 1000)
        actions = [
            lambda s: _filter(page, s),
            lambda s: _search(page, s),
            lambda s: _export(page, "Export CSV", "csv", tally),
            lambda s: _export(page, "Export Excel", "xlsx", tally),
            lambda s: _clear(page, s),
        ]
        for step in itertools.count():
            if time.monotonic() >= until:
                break
            try:
                await asyncio.wait_for(actions[step % len(actions)](step), timeout=WAIT_S + 10)
                tally.staff_actions += 1
            except Exception as exc:  # a timeout, an element that never came
                tally.errors.append(f"staff: action {step % len(actions)}: {type(exc).__name__}")
            if await page.locator('[data-testid="stException"]').count():
                tally.errors.append("staff: exception on the page")
                break
    except Exception as exc:
        tally.errors.append(f"staff: {type(exc).__name__}")
    finally:
        await context.close()


# ----------------------------------------------------------------------------- the data moving


def _unique(form: bytes, stamp: str) -> bytes:
    """The workbook with a zip comment of its own: the desk skips a file it imported before (by
    its SHA-256), and every drop must be a new file, as a staffer's are."""
    out = io.BytesIO(form)
    with zipfile.ZipFile(out, "a") as book:
        book.comment = f"load test {stamp}".encode()
    return out.getvalue()


async def importer(inbox: Path, forms: list[bytes], every: float, until: float, tally: Tally) -> None:
    """Drop a small Annex 2 workbook into the inbox every `every` seconds (written aside, then moved
    in whole, as the inbox expects), alternating two versions of the same people so each changes data."""
    inbox.mkdir(parents=True, exist_ok=True)
    for n in itertools.count():
        if time.monotonic() + 0.5 >= until:
            return
        stamp = f"{time.time_ns()}-{n}"
        partial = inbox / f"load-{stamp}.xlsx.partial"
        partial.write_bytes(_unique(forms[n % len(forms)], stamp))
        partial.replace(inbox / f"load-{stamp}.xlsx")
        tally.imports += 1
        await asyncio.sleep(min(every, max(0.0, until - time.monotonic())))


async def _inbox_empty(inbox: Path, longest: float = WAIT_S) -> None:
    """Wait until the inbox has taken every form dropped in (and a round more), at most `longest`."""
    give_up = time.monotonic() + longest
    while time.monotonic() < give_up:
        waiting = [p for p in inbox.glob("*load-*") if p.is_file()] if inbox.is_dir() else []
        reading = list((inbox / ".reading").glob("*")) if (inbox / ".reading").is_dir() else []
        if not waiting and not reading:
            break
        await asyncio.sleep(0.5)
    await asyncio.sleep(3)  # the overview reruns the last import caused


def _imported(inbox: Path) -> tuple[int, int]:
    """Files the inbox imported and refused so far."""
    count = lambda name: len(list((inbox / name).glob("*load-*.xlsx"))) if (inbox / name).is_dir() else 0  # noqa: E731
    return count("done"), count("failed")


# ----------------------------------------------------------------------------- the server


def _cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (utime + stime in /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)[1]) / 1024


def _short_refresh_config(folder: str, seconds: int) -> str:
    """A copy of the event configuration with `[dashboard] refresh_seconds` set to `seconds`."""
    from delegation.config import DEFAULT_CONFIG

    source = Path(os.environ.get("DELEGATION_CONFIG") or DEFAULT_CONFIG).read_text(encoding="utf-8")
    changed, n = re.subn(r"^refresh_seconds = \d+", f"refresh_seconds = {seconds}", source, flags=re.M)
    if n != 1:
        raise RuntimeError("no refresh_seconds line in the event configuration")
    path = os.path.join(folder, "event.toml")
    Path(path).write_text(changed, encoding="utf-8")
    return path


def _wait_listening(server, port: int) -> None:
    import socket

    give_up = time.monotonic() + 120
    while time.monotonic() < give_up:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped with status {server.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError("the server did not listen")


def _runs(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


def _p(values: list[float], q: float) -> float:
    """The q-quantile (nearest rank) of the values; NaN for none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


# ----------------------------------------------------------------------------- the run


async def _drive(port: int, server_pid: int, inbox: Path, forms: list[bytes], args) -> dict:
    """The phases, in order; returns each phase's wall-clock window and CPU seconds, and the tally."""
    from playwright.async_api import async_playwright

    url = f"http://127.0.0.1:{port}"
    tally = Tally()
    phases: dict[str, dict] = {}

    def begin(name: str) -> None:
        phases[name] = {"start": time.time(), "cpu0": _cpu_seconds(server_pid)}

    def end(name: str) -> None:
        phases[name].update(end=time.time(), cpu=_cpu_seconds(server_pid) - phases[name]["cpu0"])

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            now = time.monotonic()
            await viewer(port, now, now + min(15.0, args.refresh_seconds + 5), tally)  # warm-up

            begin("idle")
            await asyncio.sleep(3)
            end("idle")

            begin("single")
            now = time.monotonic()
            until = now + args.single_seconds
            await asyncio.gather(
                viewer(port, now, until, tally),
                staff(browser, url, now, until, tally),
                importer(inbox, forms, args.import_seconds, until, tally),
            )
            end("single")

            begin("meeting")
            now = time.monotonic()
            until = now + args.seconds
            joins = [now + JOIN_S * i / max(1, args.viewers) for i in range(args.viewers)]
            room = [viewer(port, at, until, tally) for at in joins]
            room += [staff(browser, url, now + i, until, tally) for i in range(args.staff)]
            room.append(importer(inbox, forms, args.import_seconds, until, tally))
            await asyncio.gather(*room)
            end("meeting")

            # The viewers alone: first with the data unchanged, then with it changing every period.
            await _inbox_empty(inbox)  # no form of the meeting room lands in the quiet window
            window = 3 * args.refresh_seconds
            now = time.monotonic()
            stop_viewers = asyncio.Event()
            latest = now + JOIN_S + 2 * WAIT_S + 2 * window  # bounded even if the server stalls
            viewers = [
                asyncio.ensure_future(
                    viewer(port, now + JOIN_S * i / max(1, args.viewers), latest, tally, stop_viewers)
                )
                for i in range(args.viewers)
            ]
            tally.first_runs = 0
            give_up = now + JOIN_S + WAIT_S
            while tally.first_runs < args.viewers and time.monotonic() < give_up:
                await asyncio.sleep(0.2)  # every viewer in and its first run over
            await asyncio.sleep(args.refresh_seconds)
            begin("quiet")
            await asyncio.sleep(window)
            end("quiet")
            begin("moving")
            moving_end = time.monotonic() + window
            await importer(inbox, forms, args.refresh_seconds, moving_end, tally)
            await asyncio.sleep(max(0.0, moving_end - time.monotonic()))
            end("moving")
            stop_viewers.set()
            await asyncio.gather(*viewers)
        finally:
            await browser.close()
    return {"phases": phases, "tally": tally}


def load_run(
    participants: int,
    viewers: int,
    staff: int,
    seconds: float,
    *,
    single_seconds: float = 30,
    refresh_seconds: int = 5,
    import_seconds: float = 10,
    form_rows: int = 20,
    keep_log: str | None = None,
) -> dict:
    """Run the load test on a fresh demo database of `participants`; the figures as a dict
    (per kind of run: single-session p50, meeting-room p50/p95, their ratio, counts; errors; server
    CPU per viewer per refresh and viewers one core carries at 30 s; peak resident memory)."""
    from bench.forms import annex2_workbook

    args = argparse.Namespace(
        viewers=viewers,
        staff=staff,
        seconds=seconds,
        single_seconds=single_seconds,
        refresh_seconds=refresh_seconds,
        import_seconds=import_seconds,
    )
    folder = tempfile.mkdtemp(prefix="load-test-")
    try:
        db = demo(folder, participants)
        forms = []
        for changed in (False, True):
            path = os.path.join(folder, f"form-{changed}.xlsx")
            annex2_workbook(path, form_rows, new_mobiles=changed)
            forms.append(Path(path).read_bytes())
        log = Path(folder) / "runs.jsonl"
        inbox = Path(folder) / "inbox"
        env = {
            **os.environ,
            "DELEGATION_USERS": os.path.join(folder, "none.toml"),  # no accounts: the local admin
            "DELEGATION_RUN_LOG": str(log),
            "DELEGATION_CONFIG": _short_refresh_config(folder, refresh_seconds),
            "DELEGATION_INBOX": str(inbox),
        }
        port = free_port()
        server = start_server(db, port, env)
        try:
            _wait_listening(server, port)
            driven = asyncio.run(_drive(port, server.pid, inbox, forms, args))
            time.sleep(2.5)  # the inbox's last round
            peak = _peak_mb(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except Exception:
                server.kill()
                server.wait(timeout=30)
        done, failed = _imported(inbox)
        if keep_log and log.exists():
            shutil.copy(log, keep_log)
        return _figures(_runs(log), driven, peak, done, failed, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _figures(runs: list[dict], driven: dict, peak: float, done: int, failed: int, args) -> dict:
    phases, tally = driven["phases"], driven["tally"]
    errors = list(tally.errors)
    errors += [f"import refused: {failed} forms"] if failed else []
    errors += [f"a run ended in an error: {r['kind']} {r['page']}" for r in runs if r["ended"] == "error"]

    def within(name: str, kind: str, page: str) -> list[float]:
        window = phases[name]
        return [
            r["seconds"]
            for r in runs
            if r["kind"] == kind and r["page"] == page and window["start"] <= r["time"] <= window["end"]
        ]

    kinds = {}
    for label, (kind, page) in KINDS.items():
        single, room = within("single", kind, page), within("meeting", kind, page)
        single_p50 = _p(single, 0.5)
        kinds[label] = {
            "single_runs": len(single),
            "single_p50": single_p50,
            "runs": len(room),
            "p50": _p(room, 0.5),
            "p95": _p(room, 0.95),
            "ratio": _p(room, 0.95) / single_p50 if single else float("nan"),
        }

    idle = phases["idle"]
    idle_rate = idle["cpu"] / (idle["end"] - idle["start"])

    def per_viewer_refresh(name: str) -> float:
        """Server CPU seconds per viewer per refresh period in the window, the idle server's taken off."""
        window = phases[name]
        length = window["end"] - window["start"]
        periods = length / args.refresh_seconds
        return max(0.0, window["cpu"] - idle_rate * length) / (max(1, args.viewers) * periods)

    def logged_per_viewer_refresh(name: str) -> float:
        """The same from the run log: the script runs' own seconds in the window."""
        window = phases[name]
        periods = (window["end"] - window["start"]) / args.refresh_seconds
        spent = sum(r["seconds"] for r in runs if window["start"] <= r["time"] <= window["end"])
        return spent / (max(1, args.viewers) * periods)

    quiet, moving = per_viewer_refresh("quiet"), per_viewer_refresh("moving")
    moving_window = phases["moving"]
    full_reruns = sum(
        1
        for r in runs
        if r["kind"] == "page"
        and r["page"] == "overview"
        and moving_window["start"] <= r["time"] <= moving_window["end"]
    )
    # Imports land as the inbox takes them, so the moving window's data changed about once per
    # viewer per window, not every period: the CPU one overview rerun costs is the window's CPU over
    # the quiet window's rate, per rerun; a refresh that brings a change costs a quiet refresh plus it.
    periods = (moving_window["end"] - moving_window["start"]) / args.refresh_seconds
    per_rerun = (
        (moving - quiet) * max(1, args.viewers) * periods / full_reruns if full_reruns else float("nan")
    )
    every = quiet + per_rerun
    return {
        "participants_viewers_staff": (args.viewers, args.staff),
        "kinds": kinds,
        "errors": errors,
        "viewer_runs": tally.viewer_runs,
        "staff_actions": tally.staff_actions,
        "downloads": tally.downloads,
        "imports": done,
        "cpu_per_viewer_refresh": {"unchanged": quiet, "changing": moving, "changing_every_refresh": every},
        "cpu_per_overview_rerun": per_rerun,
        "script_per_viewer_refresh": {
            "unchanged": logged_per_viewer_refresh("quiet"),
            "changing": logged_per_viewer_refresh("moving"),
        },
        "overview_reruns_while_moving": full_reruns,
        "viewers_per_core": {
            "unchanged": CORE_REFRESH_S / quiet if quiet else float("inf"),
            "changing": CORE_REFRESH_S / every if every > 0 else float("nan"),
        },
        "peak_mb": peak,
        "single_seconds": args.single_seconds,
        "seconds": args.seconds,
        "refresh_seconds": args.refresh_seconds,
    }


def table(result: dict, participants: int) -> str:
    """The figures as a Markdown table."""
    viewers, staff = result["participants_viewers_staff"]
    lines = [
        f"| {viewers} viewers + {staff} staff × {result['seconds']:.0f} s, {participants} participants, "
        f"refresh every {result['refresh_seconds']} s | single p50 | meeting p50 | meeting p95 | "
        "p95 / single p50 (target ≤ 2×) | runs (single / meeting) |",
        "|---|---|---|---|---|---|",
    ]
    for label, k in result["kinds"].items():
        verdict = "met" if k["ratio"] <= 2 else "**not met**"
        lines.append(
            f"| {label} | {k['single_p50'] * 1000:.1f} ms | {k['p50'] * 1000:.1f} ms | "
            f"{k['p95'] * 1000:.1f} ms | **{k['ratio']:.2f}×** ({verdict}) | "
            f"{k['single_runs']} / {k['runs']} |"
        )
    cpu, carry = result["cpu_per_viewer_refresh"], result["viewers_per_core"]
    script = result["script_per_viewer_refresh"]
    peak = result["peak_mb"]
    lines += [
        "",
        "| figure | value |",
        "|---|---|",
        f"| errors | {len(result['errors'])} |",
        f"| viewer runs seen by the clients | {result['viewer_runs']} |",
        f"| staff actions | {result['staff_actions']} |",
        f"| downloads | {result['downloads']} |",
        f"| forms imported through the inbox | {result['imports']} |",
        f"| server CPU per viewer per refresh, data unchanged | {cpu['unchanged'] * 1000:.2f} ms |",
        f"| server CPU per viewer per refresh, changing window (as measured) | {cpu['changing'] * 1000:.2f} ms |",
        f"| server CPU per overview rerun (changing window over quiet, per rerun) | "
        f"{result['cpu_per_overview_rerun'] * 1000:.0f} ms |",
        f"| server CPU per viewer per refresh, data changing every refresh (quiet + one rerun) | "
        f"{cpu['changing_every_refresh'] * 1000:.0f} ms |",
        f"| script run time per viewer per refresh (run log), data unchanged / changing | "
        f"{script['unchanged'] * 1000:.2f} ms / {script['changing'] * 1000:.2f} ms |",
        f"| overview reruns in the changing window | {result['overview_reruns_while_moving']} |",
        f"| viewers one core carries at refresh 30 s, data unchanged | {carry['unchanged']:.0f} |",
        f"| viewers one core carries at refresh 30 s, data changing every refresh | {carry['changing']:.0f} |",
        f"| peak resident memory | {peak:.0f} MB ({'met' if peak < 500 else '**not met**'}: target < 500 MB) |",
    ]
    lines += [f"- {error}" for error in result["errors"][:20]]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--staff", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=120, help="the meeting room's length")
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--single-seconds", type=float, default=30, help="the single session's length")
    parser.add_argument("--refresh-seconds", type=int, default=5)
    parser.add_argument("--import-seconds", type=float, default=10, help="a form dropped in this often")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--run-log", help="keep the server's run log in this file")
    args = parser.parse_args()
    result = load_run(
        args.participants,
        args.viewers,
        args.staff,
        args.seconds,
        single_seconds=args.single_seconds,
        refresh_seconds=args.refresh_seconds,
        import_seconds=args.import_seconds,
        keep_log=args.run_log,
    )
    print(table(result, args.participants))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    sys.exit(1 if result["errors"] else 0)


if __name__ == "__main__":
    main()
