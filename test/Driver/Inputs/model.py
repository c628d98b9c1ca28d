def forward(x):
    return conv1(x)
