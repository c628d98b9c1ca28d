// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-options{cont=3})' 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-options{count=three})' 2>&1 | FileCheck %s --check-prefix=INT
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-options{ratio=half})' 2>&1 | FileCheck %s --check-prefix=FLOAT
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-options{verbose=yes})' 2>&1 | FileCheck %s --check-prefix=BOOL
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-options{mode=exakt})' 2>&1 | FileCheck %s --check-prefix=CHOICE
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-options{sizes=4,x})' 2>&1 | FileCheck %s --check-prefix=LIST
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-options{count})' 2>&1 | FileCheck %s --check-prefix=NO-VALUE
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-options{count=1 count=2})' 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   "--test-options=label='open" 2>&1 | FileCheck %s --check-prefix=QUOTE
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-mark-funcs{any=1})' 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py --test-options=count=x \
// RUN:   2>&1 | FileCheck %s --check-prefix=FLAG

// A bad option of an rcbc pass is one error naming the pass, the option, the value and what was
// expected, with the closest names offered; the caret points at the pass.

// UNKNOWN: rcbc-opt: error: pass 'test-options' has no option 'cont'; did you mean 'count'? (options: count, ratio, verbose, label, mode, sizes)
// UNKNOWN-NEXT: builtin.module(test-options{cont=3})
// UNKNOWN-NEXT: {{^}}                 ^
// INT: rcbc-opt: error: option 'count' of pass 'test-options' expects an int, got 'three'
// FLOAT: rcbc-opt: error: option 'ratio' of pass 'test-options' expects a float, got 'half'
// BOOL: rcbc-opt: error: option 'verbose' of pass 'test-options' expects a bool (true or false), got 'yes'
// CHOICE: rcbc-opt: error: option 'mode' of pass 'test-options' expects one of 'fast', 'exact', got 'exakt'; did you mean 'exact'?
// LIST: rcbc-opt: error: option 'sizes' of pass 'test-options' expects a comma-separated list of int, got '4,x'
// NO-VALUE: rcbc-opt: error: option 'count' of pass 'test-options' expects an int, got ''
// TWICE: rcbc-opt: error: option 'count' of 'test-options' is given twice
// QUOTE: rcbc-opt: error: unterminated ' in the options of 'test-options'
// NONE: rcbc-opt: error: pass 'test-mark-funcs' has no option 'any' (options: none)
// FLAG: rcbc-opt: error: option 'count' of pass 'test-options' expects an int, got 'x'
// FLAG-NEXT: --test-options=count=x
// FLAG-NEXT: {{^}}    ^
module {
}
