// RUN: rcbc-opt --list-passes --load-pass-plugin=%S/Inputs/test_passes.py | FileCheck %s
// RUN: rcbc-opt --list-passes | FileCheck %s --check-prefix=UPSTREAM

// --list-passes shows each rcbc pass with its summary, and its options with their types,
// defaults and help; upstream passes are available by name.

// CHECK-LABEL: Passes:
// CHECK: --test-fail-on-funcs {{ +}}-   Emit an error at every top-level op, or once at an unknown location; then fail.
// CHECK-NEXT: --message=<string> {{ +}}- the error message (default: rejected)
// CHECK-NEXT: --unknown-location=<bool> {{ +}}- emit one error at an unknown location instead (default: false)
// CHECK-NEXT: --test-mark-funcs {{ +}}-   Mark every function with the unit attribute `test.marked`.
// CHECK-NEXT: --test-options {{ +}}-   Record the pass options on the module as `test.options`.
// CHECK-NEXT: --count=<int> {{ +}}- an int (default: 1)
// CHECK-NEXT: --ratio=<float> {{ +}}- a float (default: 0.5)
// CHECK-NEXT: --verbose=<bool> {{ +}}- a bool (default: false)
// CHECK-NEXT: --label=<string> {{ +}}- a string (default: none)
// CHECK-NEXT: --mode=<fast|exact> {{ +}}- a choice (default: fast)
// CHECK-NEXT: --sizes=<int-list> {{ +}}- a list of ints{{$}}
// CHECK: Upstream MLIR passes (canonicalize, cse, {{.*}}) are

// UPSTREAM: Passes:
// UPSTREAM: Upstream MLIR passes
