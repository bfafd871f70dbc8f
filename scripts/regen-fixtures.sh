#!/usr/bin/env bash
# Regenerates the real Terraform plan fixtures: policies/fixtures/<scenario>/plan.json (and state.json)
# and testdata/example/plan.json, from the .tf sources committed beside them.
#
# Usage: scripts/regen-fixtures.sh [SCENARIO...]
#   SCENARIO is a folder name under policies/fixtures/ or "example" (testdata/example/); none = all.
#
# Prerequisites (nothing here needs an AWS account or the network):
#   - bash, node >= 20 (runs the STS stub and the override writer in scripts/fixtures/)
#   - terraform 1.11.4 on PATH (the fixture checks in test/fixtures/ pin this version)
#   - a filesystem mirror of registry.terraform.io/hashicorp/aws 5.100.0, by default /opt/tf-plugins
#     (override with KMSGATE_TF_PLUGIN_MIRROR)
#   - TCP port 47111 free on 127.0.0.1 for the STS stub (override with KMSGATE_STS_PORT; the port is
#     written into each plan's provider configuration, so keep the default to avoid spurious diffs)
#
# Per scenario: the .tf files (and module folders) are copied into a fresh temporary directory, where a
# provider override with dummy credentials and the STS endpoint is written (never in the repository);
# `terraform init` installs the provider from the mirror; when the scenario has prior.tfstate (a raw
# version-4 state written by hand) it becomes terraform.tfstate and the plan is made with
# -refresh=false; `terraform show -json` output is copied back byte for byte. When scenario.json says
# {"state": true}, state.json is `terraform show -json terraform.tfstate` too.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fixtures="$repo/policies/fixtures"
mirror="${KMSGATE_TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
sts_port="${KMSGATE_STS_PORT:-47111}"
default_region="eu-west-1"
expected_terraform="1.11.4"

fail() {
  printf 'regen-fixtures: %s\n' "$*" >&2
  exit 1
}

command -v terraform >/dev/null || fail "terraform is not on PATH (need $expected_terraform)"
command -v node >/dev/null || fail "node is not on PATH (need >= 20)"
actual_terraform="$(TF_CLI_CONFIG_FILE=/dev/null terraform version -json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).terraform_version))')"
[[ "$actual_terraform" == "$expected_terraform" ]] ||
  fail "terraform $actual_terraform found, the fixtures are pinned to $expected_terraform"
[[ -d "$mirror/registry.terraform.io/hashicorp/aws" ]] ||
  fail "no hashicorp/aws provider mirror under $mirror (set KMSGATE_TF_PLUGIN_MIRROR)"

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

work="$(mktemp -d "${TMPDIR:-/tmp}/kmsgate-fixtures.XXXXXX")"
stub_pid=""
cleanup() {
  if [[ -n "$stub_pid" ]]; then
    kill "$stub_pid" 2>/dev/null || true
    wait "$stub_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/terraformrc" <<EOF
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
EOF
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
unset TF_DATA_DIR TF_WORKSPACE TF_PLUGIN_CACHE_DIR
for name in $(compgen -e); do
  [[ "$name" == TF_VAR_* || "$name" == AWS_* ]] && unset "$name"
done

node "$repo/scripts/fixtures/sts-stub.mjs" "$sts_port" >"$work/sts-stub.log" 2>&1 &
stub_pid=$!
for _ in $(seq 1 50); do
  grep -q '^listening' "$work/sts-stub.log" 2>/dev/null && break
  kill -0 "$stub_pid" 2>/dev/null || fail "STS stub did not start: $(cat "$work/sts-stub.log") (KMSGATE_STS_PORT picks another port)"
  sleep 0.1
done
grep -q '^listening' "$work/sts-stub.log" || fail "STS stub did not start on port $sts_port"

copy_sources() {
  local from="$1" to="$2" path
  mkdir -p "$to"
  # Everything but the generated outputs and the scenario's own metadata: .tf files, module folders,
  # templates they read with templatefile()/file().
  while IFS= read -r -d '' path; do
    path="${path#./}"
    case "$path" in
      plan.json | state.json | expect.json | scenario.json | prior.tfstate | README.md | .terraform/* | *.tfstate* | tfplan) continue ;;
    esac
    mkdir -p "$to/$(dirname "$path")"
    cp "$from/$path" "$to/$path"
  done < <(cd "$from" && find . -type f -print0 | sort -z)
}

wants_state() {
  [[ -f "$1/scenario.json" ]] &&
    node -e 'process.exit(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).state===true?0:1)' "$1/scenario.json"
}

for scenario in "${scenarios[@]}"; do
  dir="$(scenario_dir "$scenario")"
  root="$work/$scenario"
  printf 'regen-fixtures: %s\n' "$scenario" >&2
  copy_sources "$dir" "$root"
  node "$repo/scripts/fixtures/provider-override.mjs" "$root" "$sts_port" "$default_region" \
    >"$root/kmsgate_fixture_override.tf"

  declare -a plan_flags=(-input=false -no-color -lock=false -out=tfplan)
  if [[ -f "$dir/prior.tfstate" ]]; then
    cp "$dir/prior.tfstate" "$root/terraform.tfstate"
    plan_flags+=(-refresh=false)
  fi

  (
    cd "$root"
    terraform init -input=false -no-color >"$work/$scenario.init.log" 2>&1 ||
      fail "terraform init failed for $scenario: $(cat "$work/$scenario.init.log")"
    terraform plan "${plan_flags[@]}" >"$work/$scenario.plan.log" 2>&1 ||
      fail "terraform plan failed for $scenario: $(cat "$work/$scenario.plan.log")"
    terraform show -json tfplan >plan.json
    if wants_state "$dir"; then
      [[ -f terraform.tfstate ]] || fail "$scenario asks for state.json but has no prior.tfstate"
      terraform show -json terraform.tfstate >state.json
    fi
  )

  cp "$root/plan.json" "$dir/plan.json"
  if wants_state "$dir"; then
    cp "$root/state.json" "$dir/state.json"
  fi
done

# The hand-made plans in policies/fixtures/handmade/ are derived from key-settings/plan.json.
derive="$repo/scripts/fixtures/make-handmade.mjs"
for scenario in "${scenarios[@]}"; do
  if [[ "$scenario" == "key-settings" && -f "$derive" ]]; then
    printf 'regen-fixtures: handmade (derived from key-settings)\n' >&2
    (cd "$repo" && node "$derive")
  fi
done
