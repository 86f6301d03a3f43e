#!/usr/bin/python3
"""summarize.py - tables for bench/collect-overhead.

  summarize.py OUTDIR          markdown tables on stdout, OUTDIR/results.json
  summarize.py --meta BUNDLE   one TSV line per sample of a memsnap bundle
                               (its NNNNNN/meta members, raw member sizes)

Per 1 s run (OUTDIR/<tool>/poll.txt, written by cpupoll):
  CPU per tick      CPU of the tool (schedstat, all threads) between two
                    polls 1 s apart, polls at +0.5 s between samples; the
                    first interval (start-up, first sample) and the last one
                    are dropped.  Median [min-max] over the rest.
  per process-sample  CPU per tick / PIDs in /proc (memsnap: processes in
                    its meta; others: /proc at start and end)
  peak RSS          largest VmHWM seen (the last poll before exit)
  bytes per tick    growth of the output file over the same intervals
  ratio             median CPU per tick / the floor's

memsnap runs also get the figures from inside (the bundle's meta): CPU and
bytes of the samples that took tier 0 only (the first and last sample take
every tier and are left out).  The bytes of a sample are the distance
between its offset and the next sample's.
"""
import json
import re
import statistics as st
import subprocess
import sys
import tarfile
from pathlib import Path

META_INT = ("sample", "cpu_us", "wall_us", "late_us", "missed_ticks", "processes",
            "cgroups", "records", "read_bytes", "offset", "gaps",
            "tier0_cpu_us", "tier1_cpu_us", "tier2_cpu_us",
            "tier0_wall_us", "tier1_wall_us", "tier2_wall_us")
META_COLS = ("sample", "tiers", "deferred", "mono", "cpu_us", "wall_us",
             "tier0_cpu_us", "tier1_cpu_us", "tier2_cpu_us", "processes", "cgroups",
             "records", "read_bytes", "offset", "bytes", "raw_t0", "raw_t1", "raw_t2",
             "late_us", "missed_ticks", "gaps")


def read_bundle(path):
    """-> (list of per-sample dicts, trailer dict)"""
    z = subprocess.Popen(["zstd", "-dcq", str(path)], stdout=subprocess.PIPE)
    samples, raw, trailer = {}, {}, {}
    with tarfile.open(fileobj=z.stdout, mode="r|") as tf:
        for m in tf:
            if m.name == "memsnap.trailer":
                for line in tf.extractfile(m).read().decode().splitlines():
                    k, _, v = line.partition(" ")
                    trailer[k] = v
                continue
            mm = re.match(r"(\d{6})/(meta|t0|t1|t2|host)(\.\d+)?$", m.name)
            if not mm:
                continue
            n = int(mm.group(1))
            if mm.group(2) != "meta":
                key = "raw_" + mm.group(2)
                raw.setdefault(n, {}).setdefault(key, 0)
                raw[n][key] += m.size
                continue
            d = {"tiers": "", "deferred": ""}
            for line in tf.extractfile(m).read().decode().splitlines():
                k, _, v = line.partition(" ")
                if k in META_INT:
                    d[k] = int(v)
                elif k == "tiers":
                    d["tiers"] = v.replace(" ", "")
                elif k == "deferred":
                    d["deferred"] += v.split()[0]
                elif k == "mono":
                    d["mono"] = float(v)
            samples[n] = d
    z.wait()
    out = [samples[k] for k in sorted(samples)]
    for i, d in enumerate(out):
        d.update({"raw_t0": 0, "raw_t1": 0, "raw_t2": 0})
        d.update(raw.get(d["sample"], {}))
        if i + 1 < len(out):
            d["bytes"] = out[i + 1]["offset"] - d["offset"]
        elif "bytes_before_trailer" in trailer:
            d["bytes"] = int(trailer["bytes_before_trailer"]) - d["offset"]
        else:
            d["bytes"] = None
    return out, trailer


def meta_tsv(path):
    samples, _ = read_bundle(path)
    print("\t".join(META_COLS))
    for d in samples:
        print("\t".join("-" if d.get(c) in (None, "") else str(d.get(c)) for c in META_COLS))


def load_meta_tsv(path):
    rows = []
    with open(path) as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            v = line.rstrip("\n").split("\t")
            r = {}
            for k, x in zip(head, v):
                if k in ("tiers", "deferred"):
                    r[k] = "" if x == "-" else x
                elif x == "-":
                    r[k] = None
                else:
                    r[k] = float(x)
            rows.append(r)
    return rows


def kv_file(path):
    d = {}
    if path.exists():
        for line in path.read_text().splitlines():
            k, _, v = line.partition(" ")
            d[k] = v
    return d


def time_v(path):
    d = {}
    if not path.exists():
        return d
    for line in path.read_text().splitlines():
        k, _, v = line.strip().partition(": ")
        d[k] = v
    out = {}
    try:
        out["user_s"] = float(d["User time (seconds)"])
        out["sys_s"] = float(d["System time (seconds)"])
        out["maxrss_kb"] = int(d["Maximum resident set size (kbytes)"])
        e = d["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")
        out["elapsed_s"] = sum(float(x) * 60 ** i for i, x in enumerate(reversed(e)))
    except (KeyError, ValueError):
        pass
    return out


def polls(path):
    """main PID's polls: list of dicts"""
    rows = []
    cols = ("t_ms", "pid", "cpu_ns", "utime", "stime", "hwm_kb", "rss_kb", "threads",
            "rssanon_kb", "rssfile_kb", "vmlck_kb", "watched")
    first_pid = None
    for line in path.read_text().splitlines():
        if line.startswith("#"):
            continue
        v = [int(x) for x in line.split()]
        r = dict(zip(cols, v))
        if first_pid is None:
            first_pid = r["pid"]
        if r["pid"] == first_pid:
            rows.append(r)
    return rows


def mmm(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {"med": st.median(xs), "min": min(xs), "max": max(xs), "n": len(xs),
            "mean": sum(xs) / len(xs)}


def one_run(d):
    """one run directory -> figures; *_list keep the raw per-interval values"""
    run = kv_file(d / "run.txt")
    p = polls(d / "poll.txt")
    # intervals between consecutive polls 1 s apart; p[0] is at t=0 and
    # p[1] at +0.5 s: drop that one, and the last interval
    iv = [(p[i - 1], p[i]) for i in range(2, len(p))][:-1]
    cpu = [(b["cpu_ns"] - a["cpu_ns"]) / 1e6 for a, b in iv]
    byt = [b["watched"] - a["watched"] for a, b in iv if b["watched"] >= 0 and a["watched"] >= 0]
    last = p[-1] if p else {}
    tv = time_v(d / "time.txt")
    procs = [int(run.get("procs_start", 0)), int(run.get("procs_end", 0))]
    r = {
        "cmd": run.get("cmd"),
        "rc": run.get("rc"),
        "cpu_list": cpu,
        "bytes_list": byt,
        "cpu_ms": mmm(cpu),
        "bytes": mmm(byt),
        "procs": st.median(procs),
        "hwm_kb": max((x["hwm_kb"] for x in p), default=None),
        "last_poll": {k: last.get(k) for k in ("rss_kb", "rssanon_kb", "rssfile_kb", "vmlck_kb", "threads")},
        "time": tv,
        "polls": len(p),
        "wall_ms": int(run.get("wall_ms", 0)),
        "busy_ms": int(run.get("busy_ms", 0)),
    }
    if tv and r["wall_ms"]:
        tot = (tv["user_s"] + tv["sys_s"]) * 1000
        r["total_cpu_ms"] = tot
        r["bg_cores"] = (r["busy_ms"] - tot) / r["wall_ms"]
    if p:
        r["final_size"] = last["watched"]
    return r


def pooled(dirs):
    """several rounds of one tool -> one figure set (intervals pooled)"""
    runs = [one_run(d) for d in dirs]
    if not runs:
        return None
    cpu = [x for r in runs for x in r["cpu_list"]]
    byt = [x for r in runs for x in r["bytes_list"]]
    hw = [r["hwm_kb"] for r in runs if r["hwm_kb"] is not None]
    top = max(runs, key=lambda r: r["hwm_kb"] or 0)
    out = {
        "rounds": len(runs),
        "cmd": runs[0]["cmd"],
        "rc": [r["rc"] for r in runs],
        "cpu_ms": mmm(cpu),
        "cpu_round_medians": [r["cpu_ms"]["med"] if r["cpu_ms"] else None for r in runs],
        "bytes": mmm(byt),
        "procs": st.median([r["procs"] for r in runs]),
        "hwm_kb": max(hw) if hw else None,
        "last_poll": top["last_poll"],
        "time": {"user_s": sum(r["time"].get("user_s", 0) for r in runs),
                 "sys_s": sum(r["time"].get("sys_s", 0) for r in runs),
                 "maxrss_kb": max(r["time"].get("maxrss_kb", 0) for r in runs),
                 "elapsed_s": sum(r["time"].get("elapsed_s", 0) for r in runs)},
        "total_cpu_ms": sum(r.get("total_cpu_ms", 0) for r in runs),
        "bg_cores": max(r.get("bg_cores", 0) for r in runs),
        "final_size": st.median([r.get("final_size", 0) for r in runs]),
    }
    return out


def memsnap_inside(dirs):
    if not isinstance(dirs, (list, tuple)):
        dirs = [dirs]
    rows = []
    for d in dirs:
        f = d / "meta.tsv"
        if f.exists():
            rows += load_meta_tsv(f)
    if not rows:
        return None
    t0 = [x for x in rows if x["tiers"] == "0"]
    return {
        "samples": len(rows),
        "tier_mix": {t: sum(1 for x in rows if x["tiers"] == t) for t in sorted({x["tiers"] for x in rows})},
        "deferred": sum(len(x["deferred"]) for x in rows),
        "t0_cpu_ms": mmm([x["cpu_us"] / 1000 for x in t0]),
        "t0_bytes": mmm([x["bytes"] for x in t0]),
        "t0_bytes_per_proc": mmm([x["bytes"] / x["processes"] for x in t0 if x["bytes"] is not None]),
        "t0_raw": mmm([x["raw_t0"] for x in t0]),
        "t0_read_bytes": mmm([x["read_bytes"] for x in t0]),
        "processes": mmm([x["processes"] for x in rows]),
        "missed_ticks": sum(x["missed_ticks"] or 0 for x in rows),
        "rows": rows,
    }


def floor_inside(dirs):
    rows = []
    for d in dirs:
        f = d / "trace.txt"
        if f.exists():
            rows += [[float(x) for x in line.split()] for line in f.read_text().splitlines() if line.strip()]
    if not rows:
        return None
    return {
        "cpu_ms": mmm([r[1] / 1000 for r in rows]),
        "pids": mmm([r[3] for r in rows]),
        "files": mmm([r[4] for r in rows]),
        "read_bytes": mmm([r[5] for r in rows]),
    }


def fmt_mmm(m, f="%.1f"):
    if not m:
        return "-"
    return (f + " [" + f + "–" + f + "]") % (m["med"], m["min"], m["max"])


def fmt_mean(m, f="%.0f"):
    """mean; median [min-max]: for bytes, where the mean is what the disk sees"""
    if not m:
        return "-"
    return (f + "; " + f + " [" + f + "–" + f + "]") % (m["mean"], m["med"], m["min"], m["max"])


def mib(kb):
    return "-" if kb is None else "%.1f MiB" % (kb / 1024)


def main(outdir):
    out = Path(outdir)
    res = {"machine": kv_file(out / "machine.txt"), "runs": {}}
    order = ["floor", "memsnap", "memsnap-static", "sadc", "atop"]
    for t in order:
        dirs = sorted(d for d in out.glob(t + ".*") if (d / "poll.txt").exists() and d.suffix[1:].isdigit())
        if (out / t / "poll.txt").exists():
            dirs.insert(0, out / t)
        if dirs:
            r = pooled(dirs)
            if t.startswith("memsnap"):
                r["inside"] = memsnap_inside(dirs)
                if r["inside"]:
                    r["procs"] = r["inside"]["processes"]["med"]
            if t == "floor":
                r["inside"] = floor_inside(dirs)
                if r["inside"]:
                    r["procs"] = r["inside"]["pids"]["med"]
            res["runs"][t] = r
    runs = res["runs"]
    floor = runs.get("floor")
    fmed = floor["cpu_ms"]["med"] if floor and floor["cpu_ms"] else None
    m = res["machine"]
    print("## Collector overhead: %s, %s CPUs, %s; %s" % (m.get("cpu", "?"), m.get("cpus", "?"),
                                                        m.get("kernel", "?"), m.get("memory", "?")))
    print()
    nr = max((r["rounds"] for r in runs.values()), default=0)
    print("1 s interval, one tool at a time, same population, %d round(s) per tool, intervals pooled; "
          "CPU measured from outside (schedstat of the tool's threads, per 1 s interval)." % nr)
    print()
    print("| tool | PIDs | CPU ms per tick, median [min–max] | × floor (medians) | µs per process-sample, median [min–max] | peak RSS (VmHWM) | bytes on disk per tick: mean; median [min–max] | bytes per process-sample (mean) | intervals (round medians, ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in order:
        r = runs.get(t)
        if not r or not r["cpu_ms"]:
            continue
        c = r["cpu_ms"]
        ratio = "%.2f" % (c["med"] / fmed) if fmed else "-"
        upp = "%.0f [%.0f–%.0f]" % tuple(c[k] * 1000 / r["procs"] for k in ("med", "min", "max"))
        if t == "floor":
            b = "(reads %.0f KB)" % (r["inside"]["read_bytes"]["med"] / 1000) if r.get("inside") else "-"
            bpp = "-"
        else:
            b = fmt_mean(r["bytes"], "%.0f")
            bpp = "%.1f" % (r["bytes"]["mean"] / r["procs"]) if r["bytes"] else "-"
            if t == "sadc":
                bpp += " (no per-process data)"
        rm = ", ".join("%.2f" % x for x in r["cpu_round_medians"] if x is not None)
        print("| %s | %.0f | %s | %s | %s | %s | %s | %s | %d (%s) |" % (t, r["procs"], fmt_mmm(c, "%.2f"), ratio, upp,
                                                             mib(r["hwm_kb"]), b, bpp, c["n"], rm))
    print()
    ins = [(t, runs[t]) for t in ("memsnap", "memsnap-static") if t in runs and runs[t].get("inside")]
    if ins:
        print("memsnap from inside (bundle meta, tier-0-only samples) and the floor's own clock:")
        print()
        print("| run | samples (tier mix) | CPU ms per sample, median [min–max] | × floor's own | bytes per sample: mean; median [min–max] | bytes per process-sample: mean; median [min–max] | raw tier-0 member bytes | bytes read |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        fin = floor.get("inside") if floor else None
        if fin:
            print("| floor (readproc's CLOCK_PROCESS_CPUTIME_ID) | %d | %s | 1.00 | - | - | - | %.0f |" % (
                fin["cpu_ms"]["n"], fmt_mmm(fin["cpu_ms"], "%.2f"), fin["read_bytes"]["med"]))
        for t, r in ins:
            i = r["inside"]
            ratio = "%.2f" % (i["t0_cpu_ms"]["med"] / fin["cpu_ms"]["med"]) if fin else "-"
            mix = ", ".join("%s:%d" % kv for kv in i["tier_mix"].items())
            print("| %s | %d (%s) | %s | %s | %s | %s | %.0f | %.0f |" % (
                t, i["samples"], mix, fmt_mmm(i["t0_cpu_ms"], "%.2f"), ratio,
                fmt_mean(i["t0_bytes"], "%.0f"), fmt_mean(i["t0_bytes_per_proc"], "%.1f"),
                i["t0_raw"]["med"], i["t0_read_bytes"]["med"]))
        print()
    print("Memory at the last poll before exit (KiB):")
    print()
    print("| tool | VmHWM | VmRSS | RssAnon | RssFile | VmLck | maxrss (time -v) | total CPU ms (time -v) / elapsed s, all rounds | max background cores |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in order:
        r = runs.get(t)
        if not r:
            continue
        lp, tv = r["last_poll"], r["time"]
        print("| %s | %s | %s | %s | %s | %s | %s | %.0f / %.1f | %.2f |" % (
            t, r["hwm_kb"], lp["rss_kb"], lp["rssanon_kb"], lp["rssfile_kb"], lp["vmlck_kb"],
            tv.get("maxrss_kb"), r.get("total_cpu_ms", 0), tv.get("elapsed_s", 0), r.get("bg_cores", 0)))
    print()

    dd = out / "memsnap-defaults"
    if (dd / "poll.txt").exists():
        r = one_run(dd)
        i = memsnap_inside(dd)
        p = polls(dd / "poll.txt")
        res["runs"]["memsnap-defaults"] = r
        r["inside"] = i
        print("memsnap with its defaults (5 s interval, smaps_rollup every 60 s, smaps of the top 5 every 5 min, "
              "--cpu-budget 1, nice 19, mlock), `%s`:" % r["cmd"])
        print()
        # steady window: from the poll after the first sample to the last poll
        # before the final sample (which takes every tier and is an artefact
        # of a run's end); and the whole run
        rows = i["rows"] if i else []
        tot = r.get("total_cpu_ms", 0)
        el = r["time"].get("elapsed_s", 1)
        win = (0, 1)
        if len(rows) > 2 and len(p) > 3:
            # cpupoll started just after memsnap: its t_ms ~ time since
            # memsnap's first sample.  Window: from the poll before sample 2
            # to the last poll before the final sample (every tier)
            t_s2 = (rows[1]["mono"] - rows[0]["mono"]) * 1000
            t_fin = (rows[-1]["mono"] - rows[0]["mono"]) * 1000
            inside_w = [x for x in p if t_s2 - 1000 <= x["t_ms"] < t_s2 and x["t_ms"] > 0]
            before_fin = [x for x in p if x["t_ms"] < t_fin - 100]
            if inside_w and before_fin and before_fin[-1]["t_ms"] > inside_w[0]["t_ms"]:
                a, b = inside_w[0], before_fin[-1]
                win = ((b["cpu_ns"] - a["cpu_ns"]) / 1e6, b["t_ms"] - a["t_ms"])
        print("| measure | value |")
        print("|---|---:|")
        print("| samples (tier mix); deferred tiers (budget) | %d (%s); %d |" % (
            i["samples"], ", ".join("%s:%d" % kv for kv in i["tier_mix"].items()), i["deferred"]))
        print("| whole run incl. start-up, first and last sample (time -v) | %.0f ms CPU / %.1f s = %.3f %% of one core |" % (
            tot, el, tot / el / 10))
        print("| between the first and the last sample, both excluded (external polls) | %.0f ms / %.1f s = %.3f %% |" % (
            win[0], win[1] / 1000, win[0] / win[1] * 100))
        mid = [x for x in rows[1:-1]]
        if mid:
            span = rows[-1]["mono"] - rows[1]["mono"]
            cpu_mid = sum(x["cpu_us"] for x in mid) / 1000
            print("| samples 2..n-1 (inside: sum of meta cpu_us / their span) | %.0f ms / %.0f s = %.3f %% |" % (
                cpu_mid, span, cpu_mid / span / 10))
        t0 = [x["cpu_us"] / 1000 for x in rows if x["tiers"] == "0"]
        t1 = [x["tier1_cpu_us"] / 1000 for x in rows if x["tiers"] == "01" and x["tier1_cpu_us"] is not None]
        t2 = [x["tier2_cpu_us"] / 1000 for x in rows if "2" in x["tiers"] and x["tier2_cpu_us"] is not None]
        t0m = st.median(t0) if t0 else 0
        t1m = st.median(t1) if t1 else 0
        t2m = st.median(t2) if t2 else 0
        proj = (t0m + t1m / 12 + t2m / 60) / 5.0 / 10
        print("| tier-0 sample CPU, median [min–max] (inside) | %s ms |" % fmt_mmm(mmm(t0), "%.2f"))
        print("| tier-1 extra CPU (smaps_rollup + zoneinfo), median (n=%d) | %.1f ms |" % (len(t1), t1m))
        print("| tier-2 extra CPU (smaps of the top 5), median (n=%d) | %.1f ms |" % (len(t2), t2m))
        print("| long-run projection: (t0 + t1/12 + t2/60) / 5 s | %.3f %% of one core |" % proj)
        if i["t0_bytes_per_proc"]:
            print("| tier-0 sample bytes on disk: mean; median [min–max] | %s B |" % fmt_mean(i["t0_bytes"], "%.0f"))
            print("| ... per process-sample: mean; median [min–max] | %s B |" % fmt_mean(i["t0_bytes_per_proc"], "%.1f"))
        b1 = [x["bytes"] for x in rows if x["tiers"] == "01" and x["bytes"] is not None]
        if b1:
            print("| tier-0+1 sample bytes on disk, median (n=%d) | %.0f B |" % (len(b1), st.median(b1)))
        print("| bundle size / samples | %.0f B |" % (r.get("final_size", 0) / max(i["samples"], 1)))
        print("| peak RSS (VmHWM) | %s |" % mib(r["hwm_kb"]))
        res["defaults"] = {"pct_whole": tot / el / 10, "pct_window": win[0] / win[1] * 100,
                           "projection_pct": proj, "t0_ms": t0m, "t1_ms": t1m, "t2_ms": t2m}
        print()
    fr = out / "floor-rollup.txt"
    if fr.exists() and fr.read_text().strip():
        kv = dict(x.split("=", 1) for x in fr.read_text().split())
        print("Floor of tier 1 (readproc: smaps_rollup of every process + /proc/zoneinfo, 10 samples): "
              "%s ms per sample median [%s–%s], %s PIDs." % (kv.get("cpu_ms_med"), kv.get("cpu_ms_min"),
                                                          kv.get("cpu_ms_max"), kv.get("pids")))
        res["floor_rollup"] = kv
        print()
    for t in res["runs"].values():
        if t.get("inside") and "rows" in t["inside"]:
            del t["inside"]["rows"]
    (out / "results.json").write_text(json.dumps(res, indent=1, default=str))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--meta":
        meta_tsv(sys.argv[2])
    elif len(sys.argv) == 2:
        main(sys.argv[1])
    else:
        sys.exit(__doc__)
