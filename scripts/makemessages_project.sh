#!/usr/bin/env bash
# Update the project catalogue locale/en/LC_MESSAGES/django.po (LOCALE_PATHS) from templates/ and
# config/ only, then compile it (issue 16). Each app keeps its own catalogue in <app>/locale/, made
# inside the app directory; a plain `makemessages` from the repository root would instead rewrite every
# app's catalogue with whatever it finds there, so every other top-level directory is ignored here.
# makemessages ignores a directory by its *name* wherever it is, so "-i units" would also skip
# templates/units (and "-i tenants" templates/units/tenants): a top-level directory that shares its
# name with a folder anywhere under templates/ is ignored by file pattern instead ("units/*.py"
# matches units/x/y.py too).
# Afterwards fill every empty msgstr, remove "#, fuzzy" after checking, and run this script again
# (it compiles with msgfmt). tests/test_english.py checks the catalogue is complete and compiled.
set -euo pipefail
cd "$(dirname "$0")/.."
template_dirs=" $(find templates -mindepth 1 -type d -printf '%f ') "
ignore=()
for dir in */; do
  dir=${dir%/}
  case $dir in templates|config|locale) continue ;; esac
  if [[ $template_dirs == *" $dir "* ]]; then
    for ext in py html txt; do ignore+=(-i "$dir/*.$ext"); done
  else
    ignore+=(-i "$dir")
  fi
done
.venv/bin/python manage.py makemessages -l en --no-obsolete "${ignore[@]}"
msgfmt --check-format -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po
