// RUN: rcbc-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(rhal-set-target{tiles=2},rhal-place)' -o /dev/null

func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32> {
  // expected-error @+1 {{rhal-place: layer gap has no rhal.block; run rhal-partition first}}
  %g = "rhal.global_avgpool"(%x) {layer = "gap"} : (tensor<1x2x4x4xf32>) -> tensor<1x2x1x1xf32>
  return %g : tensor<1x2x1x1xf32>
}

// -----

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{rhal-place: cannot place 'arith.addf'; run convert-linalg-to-rhal first}}
  %y = arith.addf %x, %x : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// expected-error @+1 {{rhal-place: the module has no func.func @main}}
module {
}
