#!/usr/bin/env python3
"""Validate eval/questions.jsonl against the corpus.

Run from the repository root (or anywhere):  python3 eval/check_questions.py [FILE]
(FILE defaults to eval/questions.jsonl).
Standard library only. Exits non-zero with a message per problem on failure.

Checks:
  * every line is valid JSON, NFC, with exactly the expected keys (plus an
    optional history: the earlier questions of a follow-up, oldest first);
  * ids are unique and look like q001, q002, ...;
  * type / variant / province values are allowed;
  * a question about one province names it (with or without diacritics),
    in its own text or, for a follow-up, in one of its earlier questions;
  * an item has a history iff its variant is followup;
  * docs exist in corpus/; answers and evidence are non-empty iff the
    question is answerable (type != unanswerable, docs != []);
  * an answer item is a string or a list of its accepted spellings, of
    which at least one is found in a listed doc;
  * every evidence span and every answer is found, after normalisation,
    in at least one listed doc, and every listed doc contains at least
    one evidence span;
  * no-diacritics questions are pure ASCII, english ones are ASCII;
  * totals: >= 120 questions, unanswerable share >= 10 %, at least
    8 no-diacritics questions that are exact ASCII twins of a plain one,
    at least 20 follow-ups;
  * the two mandatory questions are present.

Normalisation applied to documents, spans and answers before matching:
NFC; drop HTML tags (<sup> ...); drop the characters * and #; collapse
every whitespace run to one space; casefold.
"""
import json
import os
import re
import sys
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
QFILE = os.path.join(HERE, 'questions.jsonl')
CORPUS = os.path.join(ROOT, 'corpus')

KEYS = {'id', 'question', 'province', 'docs', 'answers', 'evidence', 'type', 'variant'}
TYPES = ['who', 'when', 'what', 'metadata', 'list', 'compare', 'count', 'unanswerable']
VARIANTS = ['plain', 'no-diacritics', 'paraphrase', 'typo', 'english', 'followup']
OPTIONAL_KEYS = {'history'}
PROVINCES = {
    'ninh-thuan': 'ninh thuan',
    'bac-giang': 'bac giang',
    'gia-lai': 'gia lai',
    'tuyen-quang': 'tuyen quang',
    'quang-ngai': 'quang ngai',
}
MIN_TOTAL = 120
MIN_UNANSWERABLE_SHARE = 0.10
MIN_ASCII_TWINS = 8
MIN_FOLLOWUPS = 20
REQUIRED = {
    'Ai chịu trách nhiệm khen thưởng?': dict(province=None,
                                              docs={'ninh-thuan-kh-ubnd-2024', 'bac-giang-kh-ubnd-2024'},
                                              answers=['Sở Nội vụ']),
    'Bắc Giang báo cáo trước ngày nào?': dict(province='bac-giang'),
}

TAG_RE = re.compile(r'<[^>]*>')
WS_RE = re.compile(r'\s+')


def norm(text):
    text = unicodedata.normalize('NFC', text)
    text = TAG_RE.sub('', text)
    text = text.replace('*', '').replace('#', '')
    text = WS_RE.sub(' ', text)
    return text.casefold().strip()


def fold_ascii(text):
    """Strip Vietnamese diacritics (đ -> d) for province-name and twin checks."""
    text = unicodedata.normalize('NFC', text).replace('đ', 'd').replace('Đ', 'D')
    text = unicodedata.normalize('NFD', text)
    return ''.join(c for c in text if unicodedata.category(c) != 'Mn')


def is_text(x):
    return isinstance(x, str) and bool(x.strip())


def is_item(x):
    """An expected answer item: a string, or a non-empty list of accepted spellings."""
    return is_text(x) or (isinstance(x, list) and bool(x) and all(is_text(s) for s in x))


def load_corpus():
    docs = {}
    if not os.path.isdir(CORPUS):
        return docs
    for name in sorted(os.listdir(CORPUS)):
        if name.endswith('.txt'):
            with open(os.path.join(CORPUS, name), encoding='utf-8') as f:
                docs[name[:-4]] = norm(f.read())
    return docs


def main(qfile=QFILE):
    errors = []
    warnings = []

    def err(where, msg):
        errors.append('%s: %s' % (where, msg))

    docs = load_corpus()
    if not docs:
        print('FAIL: no documents found in %s' % CORPUS)
        return 1
    if not os.path.exists(qfile):
        print('FAIL: %s not found' % qfile)
        return 1

    records = []
    with open(qfile, encoding='utf-8') as f:
        raw_lines = f.read().split('\n')
    if raw_lines and raw_lines[-1] == '':
        raw_lines.pop()
    for lineno, line in enumerate(raw_lines, 1):
        where = 'line %d' % lineno
        if not line.strip():
            err(where, 'empty line')
            continue
        if unicodedata.normalize('NFC', line) != line:
            err(where, 'line is not NFC-normalised')
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            err(where, 'invalid JSON (%s)' % e)
            continue
        if not isinstance(obj, dict):
            err(where, 'not a JSON object')
            continue
        if not KEYS <= set(obj) <= KEYS | OPTIONAL_KEYS:
            err(where, 'keys %s, expected %s and optionally %s' % (sorted(obj), sorted(KEYS), sorted(OPTIONAL_KEYS)))
            continue
        records.append((lineno, obj))

    seen_ids = set()
    seen_questions = {}
    for lineno, q in records:
        qid = q['id']
        where = 'line %d (%s)' % (lineno, qid)
        if not isinstance(qid, str) or not re.fullmatch(r'q\d{3,}', qid):
            err(where, 'id must look like q001')
        if qid in seen_ids:
            err(where, 'duplicate id')
        seen_ids.add(qid)

        question = q['question']
        if not isinstance(question, str) or not question.strip():
            err(where, 'question must be a non-empty string')
            continue
        history = q.get('history', [])
        if not isinstance(history, list) or not all(isinstance(h, str) and h.strip() for h in history):
            err(where, 'history must be a list of non-empty strings (the earlier questions, oldest first)')
            history = []
        if bool(history) != (q['variant'] == 'followup'):
            err(where, 'an item has a history iff its variant is followup')
        asked = (tuple(history), question)  # a follow-up is the same words after other questions
        if asked in seen_questions:
            err(where, 'duplicate question text (also %s)' % seen_questions[asked])
        seen_questions[asked] = qid

        typ, variant, province = q['type'], q['variant'], q['province']
        if typ not in TYPES:
            err(where, 'type %r not in %s' % (typ, TYPES))
        if variant not in VARIANTS:
            err(where, 'variant %r not in %s' % (variant, VARIANTS))
        if province is not None and province not in PROVINCES:
            err(where, 'province %r must be one of %s or null' % (province, sorted(PROVINCES)))
        if province in PROVINCES:
            folded = WS_RE.sub(' ', fold_ascii(' '.join([question] + history)).lower())
            if PROVINCES[province] not in folded:
                err(where, 'question about %s must name the province in its text or its history' % province)

        for key in ('docs', 'answers', 'evidence'):
            if not isinstance(q[key], list) or not all(is_item(x) if key == 'answers' else is_text(x) for x in q[key]):
                err(where, '%s must be a list of non-empty strings%s'
                    % (key, ' (or lists of accepted spellings)' if key == 'answers' else ''))
        if errors and errors[-1].startswith(where) and 'must be a list' in errors[-1]:
            continue

        for d in q['docs']:
            if d not in docs:
                err(where, 'unknown doc %r' % d)
        if len(set(q['docs'])) != len(q['docs']):
            err(where, 'duplicate doc ids')

        if variant == 'no-diacritics' and not question.isascii():
            err(where, 'no-diacritics question contains non-ASCII characters')
        if variant == 'english' and not question.isascii():
            err(where, 'english question contains non-ASCII characters')

        if typ == 'unanswerable':
            if q['docs'] or q['answers'] or q['evidence']:
                err(where, 'unanswerable question must have docs, answers and evidence all []')
            continue

        if not q['docs']:
            err(where, 'answerable question needs at least one doc')
        if not 1 <= len(q['answers']) <= 4:
            err(where, 'answers must hold 1-4 strings (has %d)' % len(q['answers']))
        if not 1 <= len(q['evidence']) <= 3:
            err(where, 'evidence must hold 1-3 spans (has %d)' % len(q['evidence']))
        listed = [docs[d] for d in q['docs'] if d in docs]
        for a in q['answers']:
            spellings = [a] if isinstance(a, str) else a
            for spelling in spellings:
                if len(spelling) > 80:
                    err(where, 'answer too long (%d chars): %r' % (len(spelling), spelling))
            if not any(norm(spelling) in t for spelling in spellings for t in listed):
                err(where, 'answer not found in listed docs: %r' % a)
        for span in q['evidence']:
            ns = norm(span)
            if len(ns) > 160:
                err(where, 'evidence span too long (%d chars): %r' % (len(ns), span))
            elif not 20 <= len(ns) <= 120:
                warnings.append('%s: evidence span of %d chars (target 20-120): %r' % (where, len(ns), span))
            if not any(ns in t for t in listed):
                err(where, 'evidence span not found in listed docs: %r' % span)
        for d in q['docs']:
            if d in docs and not any(norm(s) in docs[d] for s in q['evidence']):
                err(where, 'listed doc %s contains none of the evidence spans' % d)
        if typ in ('who', 'when', 'what', 'metadata', 'count') and len(q['docs']) > 1 and province is not None:
            err(where, 'a multi-document question should have province null')

    # mandatory questions
    by_question = {q['question']: q for _, q in records}
    for text, expect in REQUIRED.items():
        q = by_question.get(text)
        if q is None:
            err('required', 'missing question %r' % text)
            continue
        if 'province' in expect and q['province'] != expect['province']:
            err('required', '%r must have province %r' % (text, expect['province']))
        if 'docs' in expect and set(q['docs']) != expect['docs']:
            err('required', '%r must have docs %s' % (text, sorted(expect['docs'])))
        if 'answers' in expect and q['answers'] != expect['answers']:
            err('required', '%r must have answers %s' % (text, expect['answers']))

    followups = [q['id'] for _, q in records if q.get('history')]

    # ASCII twins of plain questions
    plain_folded = {fold_ascii(q['question']): q['id'] for _, q in records if q['variant'] == 'plain'}
    twins = [(q['id'], plain_folded[q['question']]) for _, q in records
             if q['variant'] == 'no-diacritics' and q['question'] in plain_folded]

    total = len(records)
    type_counts = Counter(q['type'] for _, q in records)
    variant_counts = Counter(q['variant'] for _, q in records)
    table = Counter((q['type'], q['variant']) for _, q in records)
    docs_counts = Counter(d for _, q in records for d in q['docs'])
    prov_counts = Counter(q['province'] for _, q in records)

    print('questions: %d' % total)
    print()
    head = '%-13s' % 'type' + ''.join('%15s' % v for v in VARIANTS) + '%8s' % 'total'
    print(head)
    for t in TYPES:
        print('%-13s' % t + ''.join('%15d' % table[(t, v)] for v in VARIANTS) + '%8d' % type_counts[t])
    print('%-13s' % 'total' + ''.join('%15d' % variant_counts[v] for v in VARIANTS) + '%8d' % total)
    print()
    if total:
        print('variants: ' + ', '.join('%s %d (%.0f%%)' % (v, variant_counts[v], 100.0 * variant_counts[v] / total)
                                       for v in VARIANTS))
    print('province field: ' + ', '.join('%s %d' % (p, prov_counts[p]) for p in sorted(prov_counts, key=str)))
    print('questions citing each doc: ' + ', '.join('%s %d' % (d, docs_counts[d]) for d in sorted(docs)))
    print('ASCII twins of plain questions (%d): %s' % (len(twins), ', '.join('%s<-%s' % t for t in twins)))
    print('follow-ups with history: %d' % len(followups))

    if total < MIN_TOTAL:
        err('totals', 'only %d questions, need at least %d' % (total, MIN_TOTAL))
    if total and type_counts['unanswerable'] / total < MIN_UNANSWERABLE_SHARE:
        err('totals', 'unanswerable share %.1f%% below %.0f%%'
            % (100.0 * type_counts['unanswerable'] / total, 100 * MIN_UNANSWERABLE_SHARE))
    if total:
        print('unanswerable share: %.1f%%' % (100.0 * type_counts['unanswerable'] / total))
    if len(twins) < MIN_ASCII_TWINS:
        err('totals', 'only %d no-diacritics twins of plain questions, need %d' % (len(twins), MIN_ASCII_TWINS))
    if len(followups) < MIN_FOLLOWUPS:
        err('totals', 'only %d follow-ups with history, need %d' % (len(followups), MIN_FOLLOWUPS))
    for d in docs:
        if docs_counts[d] == 0:
            err('totals', 'document %s is not covered by any question' % d)

    if warnings:
        print()
        print('warnings (%d):' % len(warnings))
        for w in warnings:
            print('  ' + w)
    print()
    if errors:
        print('FAIL: %d problem(s)' % len(errors))
        for e in errors:
            print('  ' + e)
        return 1
    print('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:2]))
