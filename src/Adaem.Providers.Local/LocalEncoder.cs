namespace Adaem.Providers.Local;

/// <summary>
/// One sentence encoder that adaem ships: its config name, the size of its vectors, and where its weights
/// come from. <see cref="Version"/> names the package that carries the weights and the ONNX Runtime that runs
/// them, so cached vectors of another build are never served (it is part of the model's identity).
/// </summary>
public sealed record LocalEncoder(string Name, int Dimensions, string Version);
