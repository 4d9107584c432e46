"""Quality and speed of `actorgraph ingest`: precision and recall of known-actor mentions per language.

    python bench/ingest_eval.py                 # article + evaluation sets
    python bench/ingest_eval.py --kaznerd KazNERD/IOB2_test.txt   # + KazNERD (not shipped: CC BY 4.0)
    python bench/ingest_eval.py --speed 100000  # also time a 100,000-line text
    python bench/ingest_eval.py --json          # figures as JSON
    python bench/ingest_eval.py --json-out F    # print the figures, and write them (with the misses) to F

Scored on (node, line) pairs of actors and places (Country, Person, Organization, Place):

- the article (../shared/sources/000_...txt): its Kazakh body, Russian abstract and
  English abstract, against the curated MENTIONED_IN lines of data/kz-uz-relations
  (every line a node's provenance or one of its relationships cites). The curation cites
  the lines facts come from, not every line that names a node, so precision here is a
  lower bound: a hit on an uncited line counts as wrong.
- the evaluation sets in tests/fixtures/ingest_eval/ (our own sentences, fully annotated):
  precision, recall, and the share of actors not in the graph for which a candidate is
  proposed on their line. Six sets: the first (gold.yaml), written before the rules and
  then tuned on; the held-out set (heldout_*), run once and then tuned on; the fresh set
  (fresh_*), run once and then tuned on; the unseen set (unseen_*), committed before the
  rule changes that followed the fresh set's run, run once after them and then tuned on; the
  holdout set (holdout_*), committed before the rule changes that followed the unseen set's
  run, run once after them and then tuned on; the holdout2 set (holdout2_*), committed
  before the rule changes that followed the holdout set's run and run once after them: the
  independent one.
- KazNERD (github.com/IS2AI/KazNERD, CC BY 4.0; Yeshpanov, Khassanov and Varol, LREC 2022):
  with `--kaznerd` naming its IOB2 test split, the first 300 sentences that hold a PERSON,
  GPE or ORGANISATION span, and how many of those spans the candidate finder (or the
  known-name matcher) proposes. The corpus is not in this repository.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from actorgraph.ingest import build_matcher, ingest, known_from_dataset  # noqa: E402
from actorgraph.loaders import load_dataset  # noqa: E402

ARTICLE = ROOT.parent / "shared" / "sources" / "000_1c9682e6c6472fdb.txt"
ARTICLE_SOURCE = "source:kz-uz-relations"
EVAL = ROOT / "tests" / "fixtures" / "ingest_eval"
#: Sentences of KazNERD used: the first this many of its test split with a PERSON, GPE or ORGANISATION span.
KAZNERD_SENTENCES = 300
KAZNERD_TYPES = ("PERSON", "GPE", "ORGANISATION")
JUDGED = ROOT / "bench" / "ingest_article_judged.yaml"
ACTOR_LABELS = {"Actor", "Place"}


def score(predicted: set[tuple[str, int]], gold: set[tuple[str, int]]) -> dict[str, float | int]:
    hits = len(predicted & gold)
    return {
        "precision": round(hits / len(predicted), 3) if predicted else 1.0,
        "recall": round(hits / len(gold), 3) if gold else 1.0,
        "hits": hits,
        "predicted": len(predicted),
        "gold": len(gold),
    }


def predicted_pairs(draft, actors: set[str], lines: range | None = None) -> set[tuple[str, int]]:
    return {
        (node, line)
        for node, found in draft.mentions.items()
        if node in actors
        for line in found
        if lines is None or line in lines
    }


def article(matcher, nodes, dataset, actors: set[str]) -> dict[str, dict]:
    """P/R per language section of the article against the curated MENTIONED_IN lines."""
    gold_all = {
        (rel.source, line)
        for rel in dataset.relations
        if rel.type == "MENTIONED_IN" and rel.target == ARTICLE_SOURCE and rel.source in actors
        for line in rel.props.get("lines", [])
    }
    draft = ingest(ARTICLE, matcher, nodes, language="kk")
    text = draft.text.lines
    ru = next(i for i, line in enumerate(text, 1) if line.strip().startswith("Аннотация"))
    en = next(i for i, line in enumerate(text, 1) if line.strip().startswith("Abstract"))
    sections = {"kk": range(1, ru), "ru": range(ru, en), "en": range(en, len(text) + 1)}
    result = {}
    for language, lines in sections.items():
        gold = {pair for pair in gold_all if pair[1] in lines}
        predicted = predicted_pairs(draft, actors, lines)
        result[language] = score(predicted, gold) | {
            "lines": f"{lines.start}-{lines.stop - 1}",
            "missed": sorted(gold - predicted, key=lambda p: p[1])[:40],
            "extra": sorted(predicted - gold, key=lambda p: p[1])[:40],
        }
        if language == "kk":
            result[language]["judged"] = judged_estimate(predicted, gold)
    return result


def judged_estimate(predicted: set, gold: set) -> dict[str, float | int]:
    """Precision and recall of mentions by name, estimated from the hand-judged sample.

    Each disagreement (found but not cited, cited but not found) is judged in the sample;
    the shares among judged pairs that still disagree are applied to all disagreements.
    """
    from ruamel.yaml import YAML

    judged = YAML(typ="safe").load(JUDGED.read_text(encoding="utf-8"))
    extra, missed = predicted - gold, gold - predicted

    def verdicts(section: dict, pool: set) -> dict[str, int]:
        return {verdict: sum((node, line) in pool for node, line in pairs) for verdict, pairs in section.items()}

    on_extra, on_missed = verdicts(judged["extra"], extra), verdicts(judged["missed"], missed)
    n_extra, n_missed = sum(on_extra.values()), sum(on_missed.values())
    true_extra = len(extra) * on_extra["mention"] / n_extra if n_extra else 0.0
    named_missed = len(missed) * on_missed["named"] / n_missed if n_missed else 0.0
    broad_missed = len(missed) * (n_missed - on_missed["not named"]) / n_missed if n_missed else 0.0
    found = len(predicted & gold) + true_extra
    return {
        "judged_extra": n_extra,
        "judged_missed": n_missed,
        "precision": round(found / len(predicted), 3) if predicted else 1.0,
        "recall_names": round(found / (found + named_missed), 3),
        "recall_with_adjectives_and_nested": round(found / (found + broad_missed), 3),
        **{f"missed_{k.replace(' ', '_')}": v for k, v in on_missed.items()},
        **{f"extra_{k}": v for k, v in on_extra.items()},
    }


def _same_word(word: str, gold: str) -> bool:
    """Equal, or equal up to an inflected ending (Садыра ~ Садыр, Бішкекте ~ Бішкек, Саудовской ~ Саудовская)."""
    word, gold = word.lower().replace("ё", "е"), gold.lower().replace("ё", "е")
    cut = 2 if len(gold) >= 6 else 1  # Russian adjectives change two letters: -ая/-ой, -ый/-ого
    return word == gold or (len(gold) >= 4 and word.startswith(gold[:-cut]) and len(word) - len(gold) <= 4)


def _proposes(gold_name: str, candidate) -> bool:
    """A candidate proposes a gold name when its name has the same words (up to endings), no more, no less."""
    gold_words = gold_name.split()
    for form in {candidate.name, *candidate.forms}:
        words = form.split()
        if len(words) == len(gold_words) and all(_same_word(w, g) for w, g in zip(words, gold_words, strict=True)):
            return True
    return False


def _overlaps(gold_name: str, forms: set[str]) -> bool:
    """For KazNERD: a candidate covers a span when one of its words is a span word, maybe inflected."""
    gold_words = gold_name.split()
    return any(_same_word(w, g) for form in forms for w in form.split() for g in gold_words)


def evaluation(matcher, nodes, actors: set[str], prefix: str = "") -> dict[str, dict]:
    """P/R on our own sentences, and the share of new actors proposed as candidates.

    `prefix` "" is the first set (gold.yaml, kk/ru/en.txt), "heldout_" the second, "fresh_" the third,
    "unseen_" the fourth, "holdout_" the fifth, "holdout2_" the sixth.
    """
    from ruamel.yaml import YAML

    gold_file = YAML(typ="safe").load((EVAL / f"{prefix}gold.yaml").read_text(encoding="utf-8"))
    result = {}
    for language, entries in gold_file.items():
        gold = {(node, int(line)) for line, entry in entries.items() for node in entry.get("known", [])}
        draft = ingest(EVAL / f"{prefix}{language}.txt", matcher, nodes, language=language)
        predicted = predicted_pairs(draft, actors)
        new = [(int(line), kind, name) for line, entry in entries.items() for kind, name in entry.get("new", [])]
        proposed, kinds_right, missed_new = 0, 0, []
        for line, kind, name in new:
            hits = [c for c in draft.candidates if line in c.lines and _proposes(name, c)]
            if hits:
                proposed += 1
                kinds_right += any(c.kind == kind for c in hits)
            else:
                missed_new.append((line, name))
        result[language] = score(predicted, gold) | {
            "new_actors": len(new),
            "new_proposed": proposed,
            "new_share": round(proposed / len(new), 3) if new else 1.0,
            "kind_right": kinds_right,
            "candidates": len(draft.candidates),
            "missed": sorted(gold - predicted, key=lambda p: p[1]),
            "extra": sorted(predicted - gold, key=lambda p: p[1]),
            "missed_new": missed_new,
        }
    return result


def kaznerd_sentences(path: Path | None) -> list[list[tuple[str, str]]]:
    """The first KAZNERD_SENTENCES sentences of a KazNERD IOB2 file (word, tag per line) with a span we score."""
    if path is None or not path.is_file():
        return []
    sentences: list[list[tuple[str, str]]] = [[]]
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            if sentences[-1]:
                sentences.append([])
            continue
        word, tag = raw.rsplit(" ", 1)
        sentences[-1].append((word, tag))
    wanted = [s for s in sentences if any(tag[2:] in KAZNERD_TYPES for _, tag in s)]
    return wanted[:KAZNERD_SENTENCES]


def kaznerd(matcher, nodes, sentences: list[list[tuple[str, str]]]) -> dict | None:
    """How many PERSON / GPE / ORGANISATION spans of the KazNERD sentences are proposed (or known)."""
    if not sentences:
        return None
    spans: list[tuple[int, str, str]] = []  # (line, type, text)
    for number, sentence in enumerate(sentences, 1):
        current: list[str] = []
        kind = ""
        for word, tag in [*sentence, ("", "O")]:
            if tag.startswith("I-") and current:
                current.append(word)
                continue
            if current:
                spans.append((number, kind, " ".join(current)))
            current, kind = ([word], tag[2:]) if tag.startswith("B-") else ([], "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kaznerd.txt"
        path.write_text("\n".join(" ".join(w for w, _ in s) for s in sentences) + "\n", encoding="utf-8")
        draft = ingest(path, matcher, nodes, language="kk")
    by_line: dict[int, list] = defaultdict(list)
    for candidate in draft.candidates:
        for line in candidate.lines:
            by_line[line].append(candidate)

    tokens = matcher.tokenise([" ".join(w for w, _ in s) for s in sentences])
    known_forms: dict[int, set[str]] = defaultdict(set)  # line -> text of known names found on it
    for match in matcher.find(tokens):
        if not match.spelling.new:
            span = tokens[match.start : match.end]
            known_forms[span[0].line].add(" ".join(t.text for t in span))
    result: dict[str, dict[str, int]] = defaultdict(lambda: {"spans": 0, "proposed": 0, "exact": 0, "known": 0})
    any_span: dict[int, set[str]] = defaultdict(set)  # every annotated span, of any type, per line
    for line, _, text in spans:
        any_span[line].add(text)
    candidates = [(line, c) for c in draft.candidates for line in c.lines]
    spurious = sum(1 for line, c in candidates if not any(_overlaps(text, c.forms) for text in any_span[line]))
    for line, kind, text in spans:
        if kind not in ("PERSON", "GPE", "ORGANISATION"):
            continue
        entry = result[kind]
        entry["spans"] += 1
        if any(_overlaps(text, c.forms) for c in by_line.get(line, [])):
            entry["proposed"] += 1  # a candidate shares a word with the span
            entry["exact"] += any(_proposes(text, c) for c in by_line.get(line, []))
        elif _overlaps(text, known_forms.get(line, set())):
            entry["known"] += 1  # a node the graph knows already (Қазақстан, Тоқаев): no candidate needed
    return {"sentences": len(sentences), "candidates": len(candidates), "spurious": spurious, **result}


def speed(matcher, nodes, lines: int, extra: list[list[tuple[str, str]]]) -> dict[str, float]:
    """Seconds to ingest a text of `lines` lines, in process and through the real CLI.

    The text repeats a pool of ~1,700 distinct lines (evaluation sets, the article, the
    KazNERD sample), so after the first pass pymorphy3's answers come from the cache; a
    word never seen before costs about 0.1 ms more (measured on the article's 2,900 words).
    """
    import subprocess

    from actorgraph.ingest.draft import render

    pool = []
    for name in ("kk.txt", "ru.txt", "en.txt", "heldout_kk.txt", "heldout_ru.txt"):
        pool += (EVAL / name).read_text(encoding="utf-8").splitlines()
    if ARTICLE.exists():
        pool += ARTICLE.read_text(encoding="utf-8").splitlines()
    pool += [" ".join(word for word, _ in sentence) for sentence in extra]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.txt"
        with path.open("w", encoding="utf-8") as stream:
            for index in range(lines):
                stream.write(pool[index % len(pool)] + "\n")
        started = time.perf_counter()
        draft = ingest(path, matcher, nodes)
        render(draft)
        seconds = time.perf_counter() - started
        import resource

        command = [sys.executable, "-m", "actorgraph.cli", "ingest", str(path), "-o", str(Path(folder) / "d.yaml")]
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([*command, "-q"], check=True, cwd=ROOT)
        cli_seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "lines": lines,
        "distinct_lines": len(set(pool)),
        "seconds": round(seconds, 2),
        "cli_seconds": round(cli_seconds, 2),
        "cli_cpu_seconds": round(cli_cpu, 2),  # the machine is shared: CPU time says what the work costs
        "load_average": round(os.getloadavg()[0], 1),
        "mentions": sum(len(v) for v in draft.mentions.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speed", type=int, default=0, help="also time a text of this many lines")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--json-out", type=Path, help="also write the figures, with every miss, as JSON to this file")
    parser.add_argument(
        "--kaznerd",
        type=Path,
        default=os.environ.get("ACTORGRAPH_KAZNERD"),
        help="KazNERD's IOB2 test split (KazNERD/IOB2_test.txt), to count the spans proposed [$ACTORGRAPH_KAZNERD]",
    )
    args = parser.parse_args()
    sentences = kaznerd_sentences(Path(args.kaznerd) if args.kaznerd else None)
    started = time.perf_counter()
    dataset = load_dataset(ROOT / "data")
    known, props = known_from_dataset(dataset)
    matcher, nodes = build_matcher(known, props)
    actors = {node.id for node in dataset.nodes if set(node.labels) & ACTOR_LABELS}
    figures: dict[str, object] = {"setup_seconds": round(time.perf_counter() - started, 2)}
    if ARTICLE.exists():
        figures["article"] = article(matcher, nodes, dataset, actors)
    figures["evaluation_set"] = evaluation(matcher, nodes, actors)
    figures["heldout_set"] = evaluation(matcher, nodes, actors, prefix="heldout_")
    figures["fresh_set"] = evaluation(matcher, nodes, actors, prefix="fresh_")
    figures["unseen_set"] = evaluation(matcher, nodes, actors, prefix="unseen_")
    figures["holdout_set"] = evaluation(matcher, nodes, actors, prefix="holdout_")
    figures["holdout2_set"] = evaluation(matcher, nodes, actors, prefix="holdout2_")
    figures["kaznerd"] = kaznerd(matcher, nodes, sentences)
    if args.speed:
        figures["speed"] = speed(matcher, nodes, args.speed, sentences)
    if args.json_out:
        args.json_out.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    _print(figures)


def _print(figures: dict) -> None:
    print(f"setup (data, CLDR, forms): {figures['setup_seconds']} s")
    for part in ("article", "evaluation_set", "heldout_set", "fresh_set", "unseen_set", "holdout_set", "holdout2_set"):
        if part not in figures:
            print(f"{part}: skipped (text not found)")
            continue
        for language, row in figures[part].items():
            extra = ""
            if "new_actors" in row:
                extra = f"  new names proposed {row['new_proposed']}/{row['new_actors']} ({row['new_share']:.0%})"
            print(
                f"{part:15} {language}  P {row['precision']:.3f}  R {row['recall']:.3f}  "
                f"({row['hits']} of {row['predicted']} predicted, {row['gold']} gold){extra}"
            )
    judged = figures.get("article", {}).get("kk", {}).get("judged")
    if judged:
        print(
            f"article kk, by hand-judged sample ({judged['judged_extra']} found-not-cited, "
            f"{judged['judged_missed']} cited-not-found): P {judged['precision']:.3f}  "
            f"R {judged['recall_names']:.3f} (names)  R {judged['recall_with_adjectives_and_nested']:.3f} "
            "(counting adjectives and names inside longer names as mentions)"
        )
    if figures.get("kaznerd"):
        k = figures["kaznerd"]
        print(
            f"KazNERD sample: {k['sentences']} sentences; {k['candidates']} candidate mentions, "
            f"{k['spurious']} of them on no annotated span of any type"
        )
        for kind in ("PERSON", "GPE", "ORGANISATION"):
            if kind in k:
                row = k[kind]
                print(
                    f"  {kind:13} {row['proposed']}/{row['spans']} proposed as candidates, {row['known']} more found as known nodes; "
                    f"{row['exact']} with exactly the span's words"
                )
    if "speed" in figures:
        s = figures["speed"]
        print(
            f"speed: {s['lines']:,} lines ({s['distinct_lines']:,} distinct) in {s['seconds']} s in process, "
            f"{s['cli_seconds']} s through `actorgraph ingest` ({s['cli_cpu_seconds']} s of CPU; "
            f"load average {s['load_average']}; {s['mentions']:,} mention lines)"
        )


if __name__ == "__main__":
    main()
