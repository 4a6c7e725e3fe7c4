using Adaem.Core.Configuration;

namespace Adaem.Core.Planning;

/// <summary>USD per million input and output tokens of a model, as the plan prices its calls.</summary>
public sealed record PlanPrice(double InputPerMillion, double OutputPerMillion)
{
    public static PlanPrice Free { get; } = new(0, 0);

    public double Cost(double inputTokens, double outputTokens) =>
        (inputTokens * InputPerMillion + outputTokens * OutputPerMillion) / 1_000_000.0;
}

/// <summary>The price of each model (implemented over the pricing file in Adaem.Providers); null when it is not known.</summary>
public interface IPlanPrices
{
    PlanPrice? For(ModelConfig model);
}
