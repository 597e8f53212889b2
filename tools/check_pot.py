"""Fail when the committed translation template misses or keeps strings.

Usage: check_pot.py COMMITTED.pot FRESH.pot [TRANSLATION.po ...] — compares
the msgid sets (refresh the template with the command printed on failure), then
checks that each translation translates every string of the template, none fuzzy.
"""

import sys

import polib


def msgids(path):
    return {entry.msgid for entry in polib.pofile(path) if entry.msgid}


def main():
    committed, fresh = sys.argv[1], sys.argv[2]
    try:
        old = msgids(committed)
    except FileNotFoundError:
        old = set()
    new = msgids(fresh)
    missing, stale = new - old, old - new
    if missing or stale:
        print(f"{committed} is out of date: {len(missing)} new, {len(stale)} removed strings.")
        for text in sorted(missing)[:10]:
            print(f"  + {text[:90]}")
        for text in sorted(stale)[:10]:
            print(f"  - {text[:90]}")
        print(f"Refresh it: cp {fresh} {committed}")
        sys.exit(1)
    print(f"{committed}: {len(new)} strings, current.")
    failed = False
    for path in sys.argv[3:]:
        po = polib.pofile(path)
        done = {e.msgid for e in po.translated_entries() if "fuzzy" not in e.flags}
        left = sorted(new - done)
        if left:
            failed = True
            print(f"{path}: {len(left)} of {len(new)} strings not translated (or fuzzy):")
            for text in left[:10]:
                print(f"  ? {text[:90]}")
        else:
            print(f"{path}: {len(new)} of {len(new)} strings translated.")
    if failed:
        print("Refresh with RMA_DEV_DB=<db> bash tools/i18n_update.sh, then translate.")
        sys.exit(1)


if __name__ == "__main__":
    main()
