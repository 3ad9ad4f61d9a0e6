namespace Embedded.Fuzz.Tests.Afl;

/// <summary>A theory that runs only where afl-fuzz is installed and reports itself skipped (never passed) elsewhere.</summary>
public sealed class AflTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips when afl-fuzz is not on PATH.</summary>
    public AflTheoryAttribute()
    {
        if (AflFuzz.SkipReason is not null) Skip = AflFuzz.SkipReason;
    }
}
