"""The name matcher's package (the matcher itself lands from the `names` branch).

On this branch it holds only the review queue (`review`) and judgements (`judgements`);
import those modules directly.
"""

__all__: list[str] = []
