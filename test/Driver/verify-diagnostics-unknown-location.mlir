// RUN: rcbc-opt %s --verify-diagnostics --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-fail-on-funcs{unknown-location message=lost})'

// A diagnostic without a file location matches an @unknown designator, wherever it is written.

func.func @f() {
  return
}

// expected-error @unknown {{lost}}
