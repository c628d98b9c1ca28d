"""rcbc's frontend: PyTorch models into linalg-on-tensors IR, weights into a weight store.

    from rcbc.frontend.importer import import_model
    imported = import_model(model, (torch.zeros(1, 3, 224, 224),))
    imported.weights.save("model.rcbw")

Modules, in the order an import uses them: `models` (torchvision by name, user modules,
state_dicts), `coverage` (the supported operators), `bn_folding`, `importer`, `interface` (how
the IR names inputs, weights and outputs), `weights` (the store and its file format); `graph`
reads exported torch.fx nodes, `errors` holds the error users see. Importing this package loads
no PyTorch, so that commands stay fast until they need it.
"""
