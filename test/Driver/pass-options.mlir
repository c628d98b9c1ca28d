// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-options)' | FileCheck %s --check-prefix=DEFAULT
// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-options{count=-7 ratio=2.5e-1 verbose label=hello mode=exact sizes=4,8,16})' \
// RUN:   | FileCheck %s --check-prefix=ALL
// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline="builtin.module(test-options{count=0x10 verbose=false label='two words' sizes=})" \
// RUN:   | FileCheck %s --check-prefix=FORMS
// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-options{label={a, b} verbose=TRUE})' \
// RUN:   | FileCheck %s --check-prefix=BRACED
// RUN: rcbc-opt %s --load-pass-plugin=%S/Inputs/test_passes.py \
// RUN:   --pass-pipeline='builtin.module(test-options{count=5},test-options{count=2})' \
// RUN:   | FileCheck %s --check-prefix=LAST

// Options of rcbc passes are parsed from their dataclass field types: int (decimal or 0x),
// float, bool (bare name, true/false/1/0), string (bare, quoted or braced), Literal choices
// and tuples (comma-separated).

// DEFAULT: test.options = "count=1 ratio=0.5 verbose=false label=none mode=fast sizes="
// ALL: test.options = "count=-7 ratio=0.25 verbose=true label=hello mode=exact sizes=4,8,16"
// FORMS: test.options = "count=16 ratio=0.5 verbose=false label=two words mode=fast sizes="
// BRACED: test.options = "count=1 ratio=0.5 verbose=true label=a, b mode=fast sizes="
// LAST: test.options = "count=2 ratio=0.5 verbose=false label=none mode=fast sizes="
module {
}
