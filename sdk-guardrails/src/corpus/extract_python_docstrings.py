"""Extracts benign technical sentences for the injection corpus from the Python standard library's
docstrings (PSF License Agreement, see LICENSE-python-docstrings.txt beside the corpus).

Why: an injection classifier trained only on prompts we wrote learns that technical wording (files,
sockets, processes, URLs, "load", "execute", "send") means an attack, because our code-injection attacks
use that vocabulary and our benign side had little of it. Documentation sentences are the most common
benign text of that kind: API descriptions in imperative or descriptive English ("Return the absolute
path ...", "Send data to the socket ..."). They are real, human-written and openly licensed.

Usage: python3 extract_python_docstrings.py OUT.jsonl
Output: one {"text","module"} per line, sorted, deterministic for one Python version (the version is
written into the first line as {"python": "3.11.7"}). The corpus generator reads this file; the file is
committed so the corpus does not depend on the Python version that regenerates it.
"""
import importlib
import inspect
import json
import platform
import re
import sys

MODULES = """argparse array asyncio base64 bisect calendar codecs collections configparser contextlib copy csv
dataclasses datetime decimal difflib email.message enum fnmatch fractions functools glob gzip hashlib heapq
hmac html http.client http.cookies http.server imaplib inspect io ipaddress itertools json locale logging
mailbox math mimetypes operator os os.path pathlib pickle platform pprint queue random re sched secrets
select shelve shlex shutil signal smtplib socket sqlite3 ssl statistics string struct subprocess tarfile
tempfile textwrap threading time timeit traceback typing unittest urllib.parse urllib.request uuid warnings
weakref xml.etree.ElementTree zipfile zlib""".split()


def first_paragraph(doc):
    para = doc.strip().split("\n\n")[0]
    return re.sub(r"\s+", " ", para).strip()


def usable(text):
    if not (40 <= len(text) <= 400):
        return False
    if ">>>" in text or "::" in text or text.count("(") > 4:
        return False
    if not re.match(r"[A-Z]", text) or not text.endswith((".", ")")):
        return False
    letters = sum(c.isalpha() or c == " " for c in text)
    return letters / len(text) > 0.8 and all(ord(c) < 128 for c in text)


def main(out_path):
    rows = set()
    for name in MODULES:
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        objects = [mod]
        for attr, obj in sorted(vars(mod).items()):
            if attr.startswith("_") or getattr(obj, "__module__", name) not in (name, mod.__name__):
                continue
            if inspect.isclass(obj):
                objects.append(obj)
                objects.extend(m for a, m in sorted(vars(obj).items())
                               if not a.startswith("_") and (inspect.isfunction(m) or inspect.ismethoddescriptor(m)))
            elif inspect.isfunction(obj) or inspect.isbuiltin(obj):
                objects.append(obj)
        for obj in objects:
            doc = inspect.getdoc(obj) if not isinstance(obj, type(mod)) else mod.__doc__
            if not doc:
                continue
            text = first_paragraph(doc)
            if usable(text):
                rows.add((name, text))
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"python": platform.python_version()}) + "\n")
        for name, text in sorted(rows):
            f.write(json.dumps({"text": text, "module": name}, ensure_ascii=False) + "\n")
    print(f"{len(rows)} sentences from {len({m for m, _ in rows})} modules", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
