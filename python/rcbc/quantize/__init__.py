"""Post-training int8 quantization of a folded model, and its numpy simulation.

    from rcbc.quantize import simulate
    from rcbc.quantize.calibration import random_samples, samples_from_directory
    from rcbc.quantize.quantizer import quantize_model

    samples = samples_from_directory("calibration/", (3, 224, 224))  # or random_samples(...)
    qmodel = quantize_model(model, samples, observer="percentile")
    qmodel.layer("layer1.0.conv2").fields    # the int8 kernel's zero points, multipliers, clamps
    qmodel.weights().save("r18-int8.rcbw")   # int8 weights, int32 biases and requant tables
    logits = simulate.predict(qmodel, images)

Modules, in the order a quantization uses them: `network` (the layers of the folded export,
named and fused as convert-linalg-to-rhal does), `calibration` (samples; ranges of values over
them), `observers` (min/max, percentile), `scheme` (real <-> int8: scales, zero points, weights,
biases, multipliers), `quantizer` (the int8 layers and their kernel fields), `simulate` (the
layers run by the reference int8 kernels). The kernels' contract is docs/kernels.md.
"""
