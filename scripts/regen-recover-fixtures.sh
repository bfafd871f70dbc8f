#!/usr/bin/env bash
# Regenerates the real Terraform plans of the recovery fixtures, testdata/recover/<case>/, from the .tf
# sources committed beside them.
#
# Usage: scripts/regen-recover-fixtures.sh [CASE...]      (none = every folder with .tf files)
#
# Per case, two plans of the same configuration:
#   plan.json        nothing exists yet: every resource is created, so values that name new resources
#                    (role ARNs, endpoint ids, key ARNs) are known only after apply: what kmsgate recovers;
#   known.plan.json  only when the case has known.tfstate (a raw version-4 state written by hand, holding
#                    the resources the policies name): planned with -refresh=false against that state,
#                    so Terraform itself renders the policies the recovery must reproduce.
#
# Prerequisites: those of scripts/fixtures/terraform-offline.sh (no AWS account, no network), tar, and
# free TCP ports 47121 (STS stub, scripts/fixtures/sts-stub.mjs) and 47122 (module server) on
# 127.0.0.1. The ports end up in the plans (provider endpoint, module source), so keep the defaults.
#
# Remote modules: testdata/recover/_remote/<name>/ is served as http://127.0.0.1:47122/<name>.tar.gz
# (scripts/recover-module-server.mjs), which Terraform installs like any other remote module source,
# so a plan can hold a module that is not on disk beside the configuration.
set -euo pipefail

script="regen-recover-fixtures"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cases_dir="$repo/testdata/recover"
sts_port=47121
module_port=47122
command -v tar >/dev/null || { printf '%s: tar is not on PATH\n' "$script" >&2; exit 1; }
# shellcheck source=fixtures/terraform-offline.sh
source "$repo/scripts/fixtures/terraform-offline.sh"

declare -a cases=()
if (($# > 0)); then
  cases=("$@")
else
  for dir in "$cases_dir"/*/; do
    name="$(basename "$dir")"
    [[ "$name" == _* ]] && continue
    [[ -n "$(find "$dir" -maxdepth 1 -name '*.tf' -print -quit)" ]] && cases+=("$name")
  done
fi
for name in "${cases[@]}"; do
  [[ -n "$(find "$cases_dir/$name" -maxdepth 1 -name '*.tf' -print -quit 2>/dev/null)" ]] ||
    fail "no .tf files in $cases_dir/$name"
done

mkdir -p "$work/modules"
if [[ -d "$cases_dir/_remote" ]]; then
  for module in "$cases_dir/_remote"/*/; do
    tar -czf "$work/modules/$(basename "$module").tar.gz" -C "$module" .
  done
fi
start_server "$work/sts.log" "$repo/scripts/fixtures/sts-stub.mjs" "$sts_port"
start_server "$work/modules.log" "$repo/scripts/recover-module-server.mjs" "$module_port" "$work/modules"

is_generated() {
  [[ "$1" == *.json ]]
}

plan() {
  local name="$1" variant="$2" root="$work/$1.$2"
  local dir="$cases_dir/$name"
  copy_sources "$dir" "$root"
  if [[ "$variant" == known ]]; then
    cp "$dir/known.tfstate" "$root/terraform.tfstate"
    plan_offline "$root" "$name ($variant)" -refresh=false
    cp "$root/plan.json" "$dir/known.plan.json"
  else
    plan_offline "$root" "$name ($variant)"
    cp "$root/plan.json" "$dir/plan.json"
  fi
}

for name in "${cases[@]}"; do
  printf '%s: %s\n' "$script" "$name" >&2
  plan "$name" unknown
  if [[ -f "$cases_dir/$name/known.tfstate" ]]; then plan "$name" known; fi
done
