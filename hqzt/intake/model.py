"""The need classifier: naive Bayes per head over character n-grams and ROUTING.md lexicon
features, decoded jointly so the answer obeys ROUTING.md's rules.

Why this shape: the labelled data is small (hundreds of texts, plus what stations identify), the
texts are short, and it must run on the CPU in well under a millisecond with no native
dependencies. Counting models train in a fraction of a second, so a city's model is rebuilt from
the corpus plus its own history whenever the scheduled job runs, and a person's repeated
overrides move the suggestion (their needs are counted with a higher weight).

Heads: type, lead, scope, complexity. Decoding joins them: a lead's score includes the scope its
kind implies (rule 3: another department ⇔ 属于其他部门职能范围) and the types seen with it; a
need outside market regulation is always 需要协调 (rule 3).
"""

import gzip
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from hqzt.intake import labels
from hqzt.intake.lexicon import NON_TOPIC, SIDE_MARKERS, matches, normalize

HEADS = ("type", "lead", "scope", "complexity")
LEXICON_WEIGHT = 3.0  # a lexicon term counts as much as three n-grams
ALPHA = 0.2  # additive smoothing
FORMAT = 1
_WORDLIKE = re.compile(r"[\w]+")


@dataclass(frozen=True)
class Sample:
    """One labelled need. `lead` is empty when nobody chose one (a 简单易行 need the station
    handles itself); such a need teaches type, scope and complexity only."""

    text: str
    type: str
    scope: str
    complexity: str
    lead: str = ""
    weight: float = 1.0
    context: tuple[str, ...] = ()  # what is known of the enterprise (services.enterprise_context)


@dataclass(frozen=True)
class Ranked:
    name: str
    confidence: float  # 0..1, the model's probability after joint decoding


@dataclass
class Suggestion:
    """A need's ranked labels, best first, and the words that decided type and lead."""

    types: list[Ranked]
    scopes: list[Ranked]
    complexities: list[Ranked]
    leads: list[Ranked]
    words: list[str] = field(default_factory=list)
    lead_words: list[str] = field(default_factory=list)

    @property
    def type(self) -> Ranked:
        return self.types[0]

    @property
    def scope(self) -> Ranked:
        return self.scopes[0]

    @property
    def complexity(self) -> Ranked:
        return self.complexities[0]

    @property
    def lead(self) -> Ranked:
        return self.leads[0]

    def as_names(self) -> dict[str, list[str]]:
        """The classify_needs output: each head's names, best first."""
        return {
            "type": [r.name for r in self.types],
            "scope": [r.name for r in self.scopes],
            "complexity": [r.name for r in self.complexities],
            "lead": [r.name for r in self.leads],
        }


def features(text: str, context: tuple[str, ...] = ()) -> dict[str, float]:
    """Character bi/trigrams, the lexicon terms and groups of the main request, the groups of a
    side question ("顺便问…"), the first topic named, and the enterprise's industry and chains
    when known (a station's history teaches that, say, its 煤层气 chain's "设备" means a
    pressure vessel; the corpus has no enterprises, so only history gives them weight)."""
    norm = normalize(text)
    feats: dict[str, float] = {"e:" + item: 1.0 for item in context}
    for n in (2, 3):
        for i in range(len(norm) - n + 1):
            feats["c:" + norm[i : i + n]] = 1.0
    side = SIDE_MARKERS.search(norm)
    cut = side.start() if side else len(norm)
    first = None
    for pos, term, group in matches(norm):
        if pos < cut:
            feats["w:" + term] = LEXICON_WEIGHT
            feats["g:" + group] = LEXICON_WEIGHT
            if first is None and group not in NON_TOPIC:
                first = group
        else:
            feats["s:" + group] = 1.0
    if first:
        feats["f:" + first] = LEXICON_WEIGHT
    return feats


class _Head:
    """Multinomial naive Bayes over weighted features for one label set."""

    def __init__(self, classes: list[str], prior: list[float], counts: dict[str, dict[int, float]]):
        self.classes = classes
        self.prior_counts = prior
        self.counts = counts
        k = len(classes)
        totals = [0.0] * k
        for per_class in counts.values():
            for c, v in per_class.items():
                totals[c] += v
        vocab = max(len(counts), 1)
        denominators = [math.log(totals[c] + ALPHA * vocab) for c in range(k)]
        self.unseen = [math.log(ALPHA) - d for d in denominators]
        self.logprob = {
            f: [math.log(per_class.get(c, 0.0) + ALPHA) - denominators[c] for c in range(k)]
            for f, per_class in counts.items()
        }
        # Per feature, what it adds to each class's score over an unseen feature.
        self.delta = {
            f: [lp[c] - self.unseen[c] for c in range(k)] for f, lp in self.logprob.items()
        }
        n = sum(prior) or 1.0
        self.log_prior = [math.log((p + 1.0) / (n + k)) for p in prior]


def _softmax(scores: list[float], temperature: float) -> list[float]:
    top = max(scores)
    exps = [math.exp((s - top) / temperature) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


class Classifier:
    def __init__(self, heads: dict[str, _Head], pairs: dict[str, set[str]], meta: dict):
        self.heads = heads
        self.pairs = pairs  # lead → types seen with it
        self.meta = meta
        # All heads share one vocabulary (every sample counts its features for every head), so
        # one concatenated row per feature scores the four heads in a single pass.
        self._slices = []
        start = 0
        for head in HEADS:
            width = len(heads[head].classes)
            self._slices.append((head, start, start + width))
            start += width
        self._prior = [p for head in HEADS for p in heads[head].log_prior]
        self._rows = {
            f: [d for head in HEADS for d in heads[head].delta[f]] for f in heads["type"].delta
        }
        self._types_by_lead = {lead: sorted(ts) for lead, ts in pairs.items()}
        self._leads_by_type = {
            t: [lead for lead, ts in pairs.items() if t in ts] for t in labels.TYPES
        }

    # -- training ------------------------------------------------------------------------------
    @classmethod
    def train(cls, samples: Iterable[Sample], meta: dict | None = None) -> "Classifier":
        classes = {
            "type": labels.TYPES,
            "lead": labels.LEAD_NAMES,
            "scope": labels.SCOPES,
            "complexity": labels.COMPLEXITIES,
        }
        index = {head: {name: i for i, name in enumerate(cl)} for head, cl in classes.items()}
        counts: dict[str, dict[str, dict[int, float]]] = {h: defaultdict(dict) for h in HEADS}
        priors = {h: [0.0] * len(classes[h]) for h in HEADS}
        pairs: dict[str, set[str]] = defaultdict(set)
        n = 0
        for sample in samples:
            n += 1
            feats = features(sample.text, sample.context)
            if sample.lead:
                pairs[sample.lead].add(sample.type)
            for head, value in (
                ("type", sample.type),
                ("lead", sample.lead),
                ("scope", sample.scope),
                ("complexity", sample.complexity),
            ):
                if not value:
                    continue
                c = index[head][value]
                priors[head][c] += sample.weight
                table = counts[head]
                for f, v in feats.items():
                    per_class = table[f]
                    per_class[c] = per_class.get(c, 0.0) + v * sample.weight
        heads = {h: _Head(classes[h], priors[h], dict(counts[h])) for h in HEADS}
        return cls(heads, dict(pairs), {"samples": n, **(meta or {})})

    # -- prediction ----------------------------------------------------------------------------
    def suggest(self, text: str, context: tuple[str, ...] = ()) -> Suggestion:
        feats = features(text, context)
        # Calibrated on the text's own features: knowing the enterprise adds evidence, not doubt.
        temperature = 2.0 + 0.25 * (len(feats) - len(set(context)))
        rows = self._rows
        total = self._prior
        for f, v in feats.items():
            row = rows.get(f)
            if row is not None:
                total = [a + v * b for a, b in zip(total, row, strict=True)]
        probs = {
            head: dict(
                zip(self.heads[head].classes, _softmax(total[a:b], temperature), strict=True)
            )
            for head, a, b in self._slices
        }
        scope_p, type_p = probs["scope"], probs["type"]
        lead_joint = {}
        for lead, p in probs["lead"].items():
            compatible = sum(type_p[t] for t in self._types_by_lead.get(lead, ()))
            lead_joint[lead] = p * scope_p[labels.scope_of_lead(lead)] * math.sqrt(compatible)
        lead_ranked = _ranked(lead_joint)
        type_joint = {}
        for type_name, p in type_p.items():
            compatible = sum(lead_joint[lead] for lead in self._leads_by_type[type_name])
            type_joint[type_name] = p * math.sqrt(compatible)
        types = _ranked(type_joint)
        scope_top = labels.scope_of_lead(lead_ranked[0].name)
        scope_mass = {
            s: sum(v for lead, v in lead_joint.items() if labels.scope_of_lead(lead) == s)
            for s in labels.SCOPES
        }
        scopes = _ranked(scope_mass)
        if scopes[0].name != scope_top:
            scopes.reverse()
        if scope_top == labels.SCOPE_OTHER:
            complexities = [Ranked(labels.COORDINATED, 1.0), Ranked(labels.SIMPLE, 0.0)]
        else:
            complexities = _ranked(probs["complexity"])
        return Suggestion(
            types=types,
            scopes=scopes,
            complexities=complexities,
            leads=lead_ranked,
            words=self._deciding(feats, "type", types),
            lead_words=self._deciding(feats, "lead", lead_ranked),
        )

    def _deciding(self, feats: dict, head: str, ranked: list[Ranked]) -> list[str]:
        """The words that most favour the chosen label over the runner-up."""
        model = self.heads[head]
        best = model.classes.index(ranked[0].name)
        second = model.classes.index(ranked[1].name)
        margins = []
        for f in feats:
            delta = model.delta.get(f)
            if delta is None or f[0] not in "wc" or not _WORDLIKE.fullmatch(f[2:]):
                continue
            margin = delta[best] - delta[second]
            if margin > 0:
                margins.append((margin * (2.0 if f[0] == "w" else 1.0), f[2:]))
        margins.sort(reverse=True)
        words: list[str] = []
        for _, word in margins:
            if any(word in w or w in word for w in words):
                continue
            words.append(word)
            if len(words) == 3:
                break
        return words

    # -- storage -------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "format": FORMAT,
            "meta": self.meta,
            "pairs": {lead: sorted(ts) for lead, ts in self.pairs.items()},
            "heads": {
                h: {
                    "classes": m.classes,
                    "prior": m.prior_counts,
                    "counts": {
                        f: {str(c): round(v, 3) for c, v in pc.items()}
                        for f, pc in sorted(m.counts.items())
                    },
                }
                for h, m in self.heads.items()
            },
        }
        tmp = path.with_suffix(".tmp")
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        # mtime=0: the same corpus gives the same bytes, so the committed default diffs cleanly.
        with gzip.GzipFile(tmp, "wb", compresslevel=9, mtime=0) as out:
            out.write(payload)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> "Classifier":
        with gzip.open(path, "rt", encoding="utf-8") as src:
            data = json.load(src)
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown model format in {path}")
        heads = {
            h: _Head(
                d["classes"],
                d["prior"],
                {f: {int(c): v for c, v in pc.items()} for f, pc in d["counts"].items()},
            )
            for h, d in data["heads"].items()
        }
        return cls(heads, {lead: set(ts) for lead, ts in data["pairs"].items()}, data["meta"])


def _ranked(scores: dict[str, float]) -> list[Ranked]:
    total = sum(scores.values()) or 1.0
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    return [Ranked(name, round(v / total, 4)) for name, v in ranked]
