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
# Prerequisites (no AWS account, no network): bash, node >= 20, tar, terraform 1.11.4 on PATH, the
# hashicorp/aws 5.100.0 filesystem mirror (default /opt/tf-plugins, or KMSGATE_TF_PLUGIN_MIRROR), and
# free TCP ports 47121 (STS stub, scripts/fixtures/sts-stub.mjs) and 47122 (module server) on
# 127.0.0.1. The ports end up in the plans (provider endpoint, module source), so keep the defaults.
#
# Remote modules: testdata/recover/_remote/<name>/ is served as http://127.0.0.1:47122/<name>.tar.gz
# (scripts/recover-module-server.mjs), which Terraform installs like any other remote module source,
# so a plan can hold a module that is not on disk beside the configuration.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cases_dir="$repo/testdata/recover"
mirror="${KMSGATE_TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
sts_port=47121
module_port=47122
default_region="eu-west-1"
expected_terraform="1.11.4"

fail() {
  printf 'regen-recover-fixtures: %s\n' "$*" >&2
  exit 1
}

command -v terraform >/dev/null || fail "terraform is not on PATH (need $expected_terraform)"
command -v node >/dev/null || fail "node is not on PATH (need >= 20)"
command -v tar >/dev/null || fail "tar is not on PATH"
actual_terraform="$(TF_CLI_CONFIG_FILE=/dev/null terraform version -json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).terraform_version))')"
[[ "$actual_terraform" == "$expected_terraform" ]] ||
  fail "terraform $actual_terraform found, the fixtures are pinned to $expected_terraform"
[[ -d "$mirror/registry.terraform.io/hashicorp/aws" ]] ||
  fail "no hashicorp/aws provider mirror under $mirror (set KMSGATE_TF_PLUGIN_MIRROR)"

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

work="$(mktemp -d "${TMPDIR:-/tmp}/kmsgate-recover.XXXXXX")"
declare -a pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
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

start_server() {
  local log="$1"
  shift
  node "$@" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do
    grep -q '^listening' "$log" 2>/dev/null && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || fail "$* did not start: $(cat "$log")"
    sleep 0.1
  done
  fail "$* did not start"
}

mkdir -p "$work/modules"
if [[ -d "$cases_dir/_remote" ]]; then
  for module in "$cases_dir/_remote"/*/; do
    tar -czf "$work/modules/$(basename "$module").tar.gz" -C "$module" .
  done
fi
start_server "$work/sts.log" "$repo/scripts/fixtures/sts-stub.mjs" "$sts_port"
start_server "$work/modules.log" "$repo/scripts/recover-module-server.mjs" "$module_port" "$work/modules"

copy_sources() {
  local from="$1" to="$2" path
  mkdir -p "$to"
  while IFS= read -r -d '' path; do
    path="${path#./}"
    case "$path" in
      *.json | *.tfstate | README.md | .terraform/* | tfplan) continue ;;
    esac
    mkdir -p "$to/$(dirname "$path")"
    cp "$from/$path" "$to/$path"
  done < <(cd "$from" && find . -type f -print0 | sort -z)
}

plan() {
  local name="$1" variant="$2" root="$work/$1.$2"
  local dir="$cases_dir/$name"
  copy_sources "$dir" "$root"
  node "$repo/scripts/fixtures/provider-override.mjs" "$root" "$sts_port" "$default_region" \
    >"$root/kmsgate_fixture_override.tf"
  declare -a flags=(-input=false -no-color -lock=false -out=tfplan)
  if [[ "$variant" == known ]]; then
    cp "$dir/known.tfstate" "$root/terraform.tfstate"
    flags+=(-refresh=false)
  fi
  (
    cd "$root"
    terraform init -input=false -no-color >"$root.init.log" 2>&1 ||
      fail "terraform init failed for $name ($variant): $(cat "$root.init.log")"
    terraform plan "${flags[@]}" >"$root.plan.log" 2>&1 ||
      fail "terraform plan failed for $name ($variant): $(cat "$root.plan.log")"
    terraform show -json tfplan >plan.json
  )
  if [[ "$variant" == known ]]; then
    cp "$root/plan.json" "$dir/known.plan.json"
  else
    cp "$root/plan.json" "$dir/plan.json"
  fi
}

for name in "${cases[@]}"; do
  printf 'regen-recover-fixtures: %s\n' "$name" >&2
  plan "$name" unknown
  [[ -f "$cases_dir/$name/known.tfstate" ]] && plan "$name" known
done
