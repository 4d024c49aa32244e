#!/usr/bin/env bash
# cli_errors.sh — `jfsim check` on invalid scenarios: exit status 2, the error
# as FILE:LINE:COL: error: KEY.PATH: ..., and no output folder created.
# Usage: bash cli_errors.sh JFSIM_BINARY DATA_DIR SCENARIOS_DIR
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
data=$(cd "$2" && pwd)
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

# file | expected start of the diagnostic after "FILE:"
cases=(
  "err_syntax.yaml|4:10: error: YAML syntax error"
  "err_unknown_key.yaml|10:7: error: resources.lithium.price.volatilty: unknown key 'volatilty' in a gbm price; did you mean 'volatility'?"
  "err_duplicate_key.yaml|3:1: error: horizon_years: duplicate key"
  "err_wrong_type.yaml|7:16: error: resources.lithium.unit_cost: expected a number or a distribution, found a list"
  "err_missing_key.yaml|4:5: error: resources.lithium.kind: missing required key 'kind'"
  "err_negative_volatility.yaml|7:49: error: resources.lithium.price.volatility: expected a number >= 0, found -0.3"
  "err_horizon_201.yaml|2:16: error: horizon_years:"
  "err_percent.yaml|3:16: error: discount_rate: percent signs are not accepted"
  "err_quoted_number.yaml|3:16: error: discount_rate: expected a number, found text \"0.05\" (quoted values are text)"
  "err_duplicate_resource.yaml|8:11: error: resources[2].name: duplicate resource name 'lithium'"
  "err_correlation_missing.yaml|13:15: error: correlations.1: no resource is named 'coper'"
  "err_sweep_missing_parameter.yaml|11:5: error: sweep.parameters.resources.lithium.price.volatilty:"
  "err_not_pd.yaml|16:1: error: correlations: the correlations are not consistent"
  "err_empty.yaml|1:1: error: empty scenario"
  "err_binary.yaml|1:1: error: invalid input"
  "err_alias_bomb.yaml|1:4: error: anchors and aliases are not supported"
  "err_deep_nesting.yaml|3:75: error: nesting deeper than 64 levels"
  "err_no_value.yaml|3:1: error: regime: key 'regime' has no value"
)

check() { # name expected-exit expected-stderr-substring command...
  local name=$1 want_rc=$2 want=$3
  shift 3
  "$@" > "$work/stdout" 2> "$work/stderr"
  local rc=$?
  if [ "$rc" -ne "$want_rc" ]; then
    echo "FAIL $name: exit status $rc, expected $want_rc"; cat "$work/stderr"; fail=1
  elif ! grep -qF -- "$want" "$work/stderr"; then
    echo "FAIL $name: stderr lacks: $want"; echo "--- stderr:"; cat "$work/stderr"; fail=1
  elif [ -e "$work/out" ]; then
    echo "FAIL $name: an output folder was created"; fail=1
  else
    echo "ok   $name"
  fi
}

for c in "${cases[@]}"; do
  file=${c%%|*}
  want=${c#*|}
  check "$file" 2 "$data/$file:$want" "$bin" check "$data/$file"
done

# Overrides are validated like the file and located in the --set argument.
check "--set unknown resource" 2 "--set:1:11: error: resources.lithum.price.volatility: no item named 'lithum'; did you mean 'lithium'?" \
  "$bin" check "$data/ok_interface_example.yaml" --set resources.lithum.price.volatility=0.3
check "--set out of range" 2 "--set:1:36: error: resources.lithium.price.volatility: expected a number >= 0, found -1" \
  "$bin" check "$data/ok_interface_example.yaml" --set resources.lithium.price.volatility=-1
# `run` on an invalid scenario writes nothing either.
check "run invalid" 2 "$data/err_percent.yaml:3:16: error: discount_rate:" "$bin" run "$data/err_percent.yaml"
# A valid file passes and prints the resolved scenario.
"$bin" check "$data/ok_interface_example.yaml" > "$work/resolved.yaml" 2> "$work/stderr"
if [ $? -ne 0 ] || ! grep -q '^name: "example"' "$work/resolved.yaml"; then
  echo "FAIL valid file: jfsim check did not print the resolved scenario"; cat "$work/stderr"; fail=1
else
  echo "ok   valid file"
fi
exit $fail
