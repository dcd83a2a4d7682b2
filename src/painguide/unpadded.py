"""BERT sentence embeddings of many texts in one model call, without padding.

A padded batch makes every text as long as the longest, and each model call also streams all
of the weights through the CPU again (about 7 ms on the shared 2-core machine, whatever the
batch). The safety router embeds a message's sentences, clauses and the whole message at once:
texts of very different lengths. Here every text's tokens are laid end to end in one row, so
the linear layers (about 90% of the time) read only real tokens, in one call; attention runs
text by text, so no text sees another's tokens. Positions restart at 0 for each text, and
mean pooling and normalising are done per text: the arithmetic is what the padded model does
for each text on its own, and vectors agree with ``SentenceTransformer.encode`` to float
rounding (about 1e-7).

The linear layers are the model's own. (oneDNN copies of their weights, through
``torch.utils.mkldnn``, were tried and measured about 20% slower per message with torch 2.13 on
this 2-core CPU: route_bench p50 22.5 -> 16.5 ms without them.)

Only a plain BERT encoder with mean pooling and normalising (all-MiniLM-L6-v2, the default)
is handled; ``supports`` says whether a model is one, and callers use the library's own
``encode`` otherwise.

Example::

    if supports(model):
        vecs = encode_unpadded(model, ["my back hurts", "i fell on the stairs last night"])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import torch


def supports(model: Any) -> bool:
    """Whether ``model`` (a SentenceTransformer) is a BERT encoder, mean pooled, normalised."""
    try:
        modules = list(model)
        if len(modules) != 3 or type(modules[2]).__name__ != "Normalize":
            return False
        bert = modules[0].auto_model
        config = bert.config
        pooling = modules[1].get_config_dict()
    except (AttributeError, TypeError):  # a model of another shape
        return False
    return (
        type(bert).__name__ == "BertModel"
        and getattr(config, "position_embedding_type", "absolute") == "absolute"
        and not getattr(config, "is_decoder", False)
        and pooling.get("pooling_mode") == "mean"
        and pooling.get("include_prompt", True)
        and not bert.training
    )


def encode_unpadded(model: Any, texts: list[str]) -> np.ndarray:
    """(len(texts), dim) float32 unit vectors of ``texts``, in order, from one model call.

    ``model`` must pass ``supports``. Tokens are made by the model's own ``preprocess`` (the
    same word pieces and truncation as ``encode``)."""
    import numpy as np
    import torch

    if not texts:
        dim = int(model.get_embedding_dimension() or 0)
        return np.zeros((0, dim), dtype=np.float32)
    feats = model.preprocess(texts)
    keep = feats["attention_mask"].bool()
    lengths = [int(n) for n in keep.sum(dim=1)]
    bounds = _bounds(lengths)
    ids = feats["input_ids"][keep].unsqueeze(0)
    types = feats.get("token_type_ids")
    types = types[keep].unsqueeze(0) if types is not None else torch.zeros_like(ids)
    positions = torch.cat([torch.arange(n) for n in lengths]).unsqueeze(0)
    bert = model[0].auto_model
    with torch.inference_mode():
        hidden = bert.embeddings(input_ids=ids, token_type_ids=types, position_ids=positions)[0]
        for layer in bert.encoder.layer:
            hidden = _layer(layer, hidden, bounds)
        pooled = torch.stack([hidden[a:b].mean(dim=0) for a, b in bounds])
        vecs = torch.nn.functional.normalize(pooled, p=2, dim=1)
    return np.asarray(vecs.numpy(), dtype=np.float32)


def _bounds(lengths: list[int]) -> list[tuple[int, int]]:
    """(start, end) of each text's tokens in the joined row."""
    out, start = [], 0
    for n in lengths:
        out.append((start, start + n))
        start += n
    return out


def _layer(layer: Any, hidden: torch.Tensor, bounds: list[tuple[int, int]]) -> torch.Tensor:
    """One BERT layer over the joined (tokens, width) row: projections and feed-forward on
    all tokens together, attention within each text (post-norm, as BertLayer; dropout is
    off in inference)."""
    import torch
    from torch.nn.functional import scaled_dot_product_attention

    att = layer.attention.self
    heads, size = att.num_attention_heads, att.attention_head_size

    def split(x: torch.Tensor) -> torch.Tensor:  # (tokens, width) -> (heads, tokens, size)
        return x.view(-1, heads, size).transpose(0, 1)

    q, k, v = (split(m(hidden)) for m in (att.query, att.key, att.value))
    context = torch.cat(
        [
            scaled_dot_product_attention(
                q[None, :, a:b], k[None, :, a:b], v[None, :, a:b], scale=att.scaling
            )[0]
            for a, b in bounds
        ],
        dim=1,
    )
    context = context.transpose(0, 1).reshape(-1, heads * size)
    out = layer.attention.output
    attended = out.LayerNorm(out.dense(context) + hidden)
    inner = layer.intermediate.intermediate_act_fn(layer.intermediate.dense(attended))
    return layer.output.LayerNorm(layer.output.dense(inner) + attended)
