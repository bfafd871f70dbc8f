#!/usr/bin/env bash
# Regenerates the real Terraform plan fixtures: policies/fixtures/<scenario>/plan.json (and state.json)
# and testdata/example/plan.json, from the .tf sources committed beside them.
#
# Usage: scripts/regen-fixtures.sh [SCENARIO...]
#   SCENARIO is a folder name under policies/fixtures/ or "example" (testdata/example/); none = all.
#
# Prerequisites: those of scripts/fixtures/terraform-offline.sh (terraform 1.11.4, the provider
# mirror; no AWS account, no network), and TCP port 47111 free on 127.0.0.1 for the STS stub (override
# with KMSGATE_STS_PORT; the port is written into each plan's provider configuration, so keep the
# default to avoid spurious diffs).
#
# Per scenario: the .tf files (and module folders) are copied into a fresh temporary directory, where a
# provider override with dummy credentials and the STS endpoint is written (never in the repository);
# `terraform init` installs the provider from the mirror; when the scenario has prior.tfstate (a raw
# version-4 state written by hand) it becomes terraform.tfstate and the plan is made with
# -refresh=false; `terraform show -json` output is copied back byte for byte. When scenario.json says
# {"state": true}, state.json is `terraform show -json terraform.tfstate` too.
set -euo pipefail

script="regen-fixtures"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fixtures="$repo/policies/fixtures"
sts_port="${KMSGATE_STS_PORT:-47111}"
# shellcheck source=fixtures/terraform-offline.sh
source "$repo/scripts/fixtures/terraform-offline.sh"

scenario_dir() {
  if [[ "$1" == "example" ]]; then
    printf '%s\n' "$repo/testdata/example"
  else
    printf '%s\n' "$fixtures/$1"
  fi
}

declare -a scenarios=()
if (($# > 0)); then
  for scenario in "$@"; do
    scenarios+=("$(basename "$scenario")")
  done
else
  for dir in "$fixtures"/*/; do
    [[ -n "$(find "$dir" -maxdepth 1 -name '*.tf' -print -quit)" ]] && scenarios+=("$(basename "$dir")")
  done
  scenarios+=("example")
fi
for scenario in "${scenarios[@]}"; do
  dir="$(scenario_dir "$scenario")"
  [[ -d "$dir" ]] || fail "no scenario folder $dir"
  [[ -n "$(find "$dir" -maxdepth 1 -name '*.tf' -print -quit)" ]] || fail "no .tf files in $dir"
done

start_server "$work/sts-stub.log" "$repo/scripts/fixtures/sts-stub.mjs" "$sts_port"

is_generated() {
  case "$1" in
    plan.json | state.json | expect.json | scenario.json) return 0 ;;
  esac
  return 1
}

wants_state() {
  [[ -f "$1/scenario.json" ]] &&
    node -e 'process.exit(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).state===true?0:1)' "$1/scenario.json"
}

for scenario in "${scenarios[@]}"; do
  dir="$(scenario_dir "$scenario")"
  root="$work/$scenario"
  printf '%s: %s\n' "$script" "$scenario" >&2
  copy_sources "$dir" "$root"
  declare -a plan_flags=()
  if [[ -f "$dir/prior.tfstate" ]]; then
    cp "$dir/prior.tfstate" "$root/terraform.tfstate"
    plan_flags+=(-refresh=false)
  fi
  plan_offline "$root" "$scenario" "${plan_flags[@]}"
  cp "$root/plan.json" "$dir/plan.json"
  if wants_state "$dir"; then
    [[ -f "$root/terraform.tfstate" ]] || fail "$scenario asks for state.json but has no prior.tfstate"
    (cd "$root" && terraform show -json terraform.tfstate >state.json)
    cp "$root/state.json" "$dir/state.json"
  fi
done

# The hand-made plans in policies/fixtures/handmade/ are derived from key-settings/plan.json.
derive="$repo/scripts/fixtures/make-handmade.mjs"
for scenario in "${scenarios[@]}"; do
  if [[ "$scenario" == "key-settings" && -f "$derive" ]]; then
    printf '%s: handmade (derived from key-settings)\n' "$script" >&2
    (cd "$repo" && node "$derive")
  fi
done
