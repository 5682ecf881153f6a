#!/usr/bin/env bash
# Installs what Tollgate's tests need and this machine lacks, and says what it does; quick when all is there.
# `./mvnw verify` runs it first (exec-maven-plugin in the root pom; skipped with -DskipTests), so README's test
# command works on a fresh machine. Installs come from Debian's packages (apt-get, with sudo when not root) and
# npm (versions pinned in infra/checks/package-lock.json); nothing else is downloaded.
#
#   infra/setup/test-tools.sh [--all | --unit-tests-only]   (--unit-tests-only: without the integration tests' Chromium and moto)
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '[test-tools] %s\n' "$*"; }
# Not root: sudo without a prompt (the build reads no keyboard); when it asks for a password, the message says what to run.
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif sudo -n "$@"; then :; else say "could not run as root: sudo $*"; return 1; fi
}
apt_updated=false
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    say "cannot install $* here (no apt-get): install it with your package manager"
    return 1
  fi
  local log
  log="$(mktemp)"
  if { [ "$apt_updated" = true ] || as_root apt-get update -qq; } >"$log" 2>&1 \
      && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>"$log" 2>&1; then
    apt_updated=true
    rm -f "$log"
  else
    cat "$log" >&2
    rm -f "$log"
    return 1
  fi
}

integration_tests=true
case "${1:---all}" in
  --unit-tests-only) integration_tests=false ;;
  --all) ;;
  *) say "usage: $0 [--all|--unit-tests-only]"; exit 2 ;;
esac
missing=()

# Node.js and npm run the checks by tools the project did not write (asl-validator, IAM simulated from AWS's
# Service Authorization Reference): Debian's packages when absent.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "installing Node.js and npm (Debian's nodejs, npm) for the checks in infra/checks"
  apt_install nodejs npm || missing+=("node and npm")
fi

# The npm tools themselves, at the versions package-lock.json pins; npm records what it installed in
# node_modules/.package-lock.json, so an unchanged lock file costs nothing.
checks=infra/checks
if command -v npm >/dev/null 2>&1; then
  if [ ! -f "$checks/node_modules/.package-lock.json" ] || [ "$checks/package-lock.json" -nt "$checks/node_modules/.package-lock.json" ]; then
    say "installing the pinned npm tools of $checks (npm ci)"
    (cd "$checks" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || missing+=("npm ci in $checks")
  fi
fi

# cfn-lint, the SAM translator it ships with, and (for the integration tests) moto 5.x, the local stack's AWS: python
# packages the machines come with; PyPI is not reachable from here and Debian has none of them. One python run.
PYTHON="${TOLLGATE_PYTHON:-python3}"
python_tools="$("$PYTHON" - "$integration_tests" <<'PY' 2>/dev/null || true
import importlib, sys
found = []
for module, name in [("cfnlint.version", "cfn-lint"), ("samtranslator", "samtranslator")] + ([("moto", "moto")] if sys.argv[1] == "true" else []):
    try:
        found.append(name + " " + getattr(importlib.import_module(module), "__version__"))
    except Exception:
        found.append(name + " missing")
print(", ".join(found))
PY
)"
if [ -z "$python_tools" ] || [[ "$python_tools" == *missing* ]] || ! command -v cfn-lint >/dev/null 2>&1; then
  say "python tools: ${python_tools:-$PYTHON cannot run}; install them with: $PYTHON -m pip install cfn-lint 'moto[server]==5.2.1' (or set TOLLGATE_PYTHON to a python that has them)"
  missing+=("python tools")
elif [ "$integration_tests" = true ] && [[ "$python_tools" != *"moto 5."* ]]; then
  say "the local stack needs moto 5.x, found: $python_tools"
  missing+=("moto 5.x")
fi

if [ "$integration_tests" = true ]; then
  # A real browser draws the rollout report in RolloutReportIT: Debian's chromium.
  if [ -z "${TOLLGATE_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
    say "installing Chromium (Debian's chromium) for the rollout report tests"
    apt_install chromium || missing+=("chromium")
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  say "missing, so the tests cannot run: ${missing[*]}"
  exit 1
fi
say "ready: node $(node --version), $python_tools$( [ "$integration_tests" = true ] && [ -z "${TOLLGATE_CHROMIUM:-}" ] && printf ', %s' "$(chromium --version 2>/dev/null | head -1)")"
