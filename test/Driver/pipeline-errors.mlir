// RUN: not rcbc-opt %s --pass-pipeline='cse' 2>&1 | FileCheck %s --check-prefix=NO-ANCHOR
// RUN: not rcbc-opt %s --pass-pipeline='func.func(cse)' 2>&1 | FileCheck %s --check-prefix=TOP-ANCHOR
// RUN: not rcbc-opt %s --pass-pipeline='builtin.module(cse' 2>&1 | FileCheck %s --check-prefix=UNBALANCED
// RUN: not rcbc-opt %s --pass-pipeline='builtin.module(cse))' 2>&1 | FileCheck %s --check-prefix=TRAILING
// RUN: not rcbc-opt %s --pass-pipeline='builtin.module(cse,,canonicalize)' 2>&1 | FileCheck %s --check-prefix=EMPTY-ELEMENT
// RUN: not rcbc-opt %s --pass-pipeline='builtin.module(cse canonicalize)' 2>&1 | FileCheck %s --check-prefix=NO-COMMA
// RUN: not rcbc-opt %s --pass-pipeline='builtin.module(canonicalize{max-iterations=1)' 2>&1 | FileCheck %s --check-prefix=NO-BRACE
// RUN: not rcbc-opt %s --pass-pipeline='builtin.module(canonicalise)' 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(cse,test-mark-func)' 2>&1 | FileCheck %s --check-prefix=UNKNOWN-RCBC
// RUN: not rcbc-opt %s --pass-pipeline='builtin.module(func.func(cse,sccpp))' 2>&1 | FileCheck %s --check-prefix=UNKNOWN-NESTED
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(func.func(cse,test-mark-funcs))' 2>&1 | FileCheck %s --check-prefix=NESTED-PYTHON
// RUN: not rcbc-opt %s --pass-pipeline='builtin.module(canonicalize{max-iteration=3})' 2>&1 | FileCheck %s --check-prefix=UPSTREAM-OPTION
// RUN: not rcbc-opt %s --pass-pipeline='builtin.module(canonicalize{max-iterations=x})' 2>&1 | FileCheck %s --check-prefix=UPSTREAM-VALUE

// A malformed pipeline, an unknown pass or a badly nested rcbc pass is one error, with a caret
// under the place in the pipeline text and, for names, the closest registered ones.

// NO-ANCHOR: rcbc-opt: error: expected pass pipeline to be wrapped with the anchor operation type, e.g. 'builtin.module(...)'
// NO-ANCHOR-NEXT: cse
// NO-ANCHOR-NEXT: {{^}}  ^
// TOP-ANCHOR: rcbc-opt: error: the pass pipeline must be anchored on 'builtin.module', not 'func.func'
// UNBALANCED: rcbc-opt: error: encountered unbalanced parentheses while parsing pipeline
// UNBALANCED-NEXT: builtin.module(cse
// UNBALANCED-NEXT: {{^}}                    ^
// TRAILING: rcbc-opt: error: unexpected text after the pass pipeline
// EMPTY-ELEMENT: rcbc-opt: error: expected a pass or pipeline name
// EMPTY-ELEMENT-NEXT: builtin.module(cse,,canonicalize)
// EMPTY-ELEMENT-NEXT: {{^}}                     ^
// NO-COMMA: rcbc-opt: error: expected ',' or ')' in the pipeline of 'builtin.module'
// NO-BRACE: rcbc-opt: error: missing '}' to close the options of 'canonicalize'
// UNKNOWN: rcbc-opt: error: 'canonicalise' does not refer to a registered pass or pass pipeline; did you mean 'canonicalize'?
// UNKNOWN-NEXT: builtin.module(canonicalise)
// UNKNOWN-NEXT: {{^}}                 ^
// UNKNOWN-RCBC: rcbc-opt: error: 'test-mark-func' does not refer to a registered pass or pass pipeline; did you mean 'test-mark-funcs'?
// UNKNOWN-NESTED: rcbc-opt: error: 'sccpp' does not refer to a registered pass or pass pipeline; did you mean 'sccp'?
// UNKNOWN-NESTED-NEXT: builtin.module(func.func(cse,sccpp))
// UNKNOWN-NESTED-NEXT: {{^}}                              ^
// NESTED-PYTHON: rcbc-opt: error: 'test-mark-funcs' is an rcbc pass: it can only run on the top-level 'builtin.module', not nested under 'func.func'
// UPSTREAM-OPTION: rcbc-opt: error: failed to add `canonicalize` with options `max-iteration=3`: <Pass-Options-Parser>: no such option max-iteration
// UPSTREAM-VALUE: rcbc-opt: error: failed to add `canonicalize` with options `max-iterations=x`: for the --max-iterations option: 'x' value invalid for long argument!
module {
}
