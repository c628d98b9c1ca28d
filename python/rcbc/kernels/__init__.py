"""The kernel library: ids, parameter-block layouts (`library`) and numpy implementations
(`reference`) of the compute kernels that `launch` records run on compute tiles."""
