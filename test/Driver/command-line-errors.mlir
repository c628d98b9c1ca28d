// RUN: not rcbc-opt %s --pass-pipeline='builtin.module(cse)' --canonicalize 2>&1 | FileCheck %s --check-prefix=MIXED
// RUN: not rcbc-opt %s --split-input 2>&1 | FileCheck %s --check-prefix=FLAG
// RUN: not rcbc-opt %s --canonicalise 2>&1 | FileCheck %s --check-prefix=PASS-FLAG
// RUN: not rcbc-opt %s %s 2>&1 | FileCheck %s --check-prefix=TWO-INPUTS
// RUN: not rcbc-opt %S/Inputs/does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=NO-INPUT
// RUN: not rcbc-opt %s -o %S/Inputs/no-such-dir/out.mlir 2>&1 | FileCheck %s --check-prefix=NO-OUTPUT
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/does-not-exist.py 2>&1 | FileCheck %s --check-prefix=NO-PLUGIN
// RUN: not rcbc-opt %s --load-pass-plugin=%S/Inputs/no_passes.py 2>&1 | FileCheck %s --check-prefix=EMPTY-PLUGIN
// RUN: not rcbc-opt %s --load-pass-plugin=%s 2>&1 | FileCheck %s --check-prefix=BAD-PLUGIN
// RUN: not rcbc-opt %s --mlir-elide-elementsattrs-if-larger=many 2>&1 | FileCheck %s --check-prefix=BAD-VALUE
// RUN: not rcbc-opt %S/Inputs/latin1.mlir 2>&1 | FileCheck %s --check-prefix=NOT-UTF8

// Mistakes on the command line end in one message and exit status 1, with no traceback.

// MIXED: rcbc-opt: error: '--pass-pipeline' option can't be used with individual pass options
// FLAG: rcbc-opt: error: unknown command line argument '--split-input'; did you mean '--split-input-file'?
// PASS-FLAG: rcbc-opt: error: unknown command line argument '--canonicalise'; did you mean '--canonicalize'?
// TWO-INPUTS: rcbc-opt: error: unexpected argument '{{.*}}command-line-errors.mlir': rcbc-opt takes one input file
// NO-INPUT: rcbc-opt: error: could not open input file '{{.*}}does-not-exist.mlir': No such file or directory
// NO-OUTPUT: rcbc-opt: error: could not open output file '{{.*}}out.mlir': No such file or directory
// NO-PLUGIN: rcbc-opt: error: could not load pass plugin '{{.*}}does-not-exist.py': No such file or directory
// EMPTY-PLUGIN: rcbc-opt: error: pass plugin '{{.*}}no_passes.py' defines no rcbc pass (no ModulePass subclass)
// BAD-PLUGIN: rcbc-opt: error: could not load pass plugin '{{.*}}command-line-errors.mlir': {{.+}} (command-line-errors.mlir, line {{[0-9]+}})
// BAD-VALUE: rcbc-opt: error: argument --mlir-elide-elementsattrs-if-larger: invalid int value: 'many'
// NOT-UTF8: rcbc-opt: error: input file '{{.*}}latin1.mlir' is not UTF-8 text
module {
}
