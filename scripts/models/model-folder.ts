// Writes a transformers.js model folder: config.json, tokenizer.json (WordPiece),
// tokenizer_config.json, onnx/model.onnx (fp32) and onnx/model_quantized.onnx (q8).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildEmbeddingModel, type EmbeddingTable } from './onnx-embedding-graph.ts';

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

export interface ModelFolderSpec {
  readonly name: string;
  /** Full vocabulary, special tokens first, in id order. */
  readonly vocab: readonly string[];
  readonly table: EmbeddingTable;
  readonly description: string;
}

function tokenizerJson(vocab: readonly string[]) {
  const ids = Object.fromEntries(vocab.map((token, id) => [token, id]));
  const special = (token: string) => ({ id: token, ids: [ids[token]], tokens: [token] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content) => ({
      id: ids[content],
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': special('[CLS]'), '[SEP]': special('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: ids },
  };
}

export async function writeModelFolder(dir: string, spec: ModelFolderSpec): Promise<void> {
  const { vocab, table } = spec;
  if (vocab.length !== table.vocabSize) throw new Error('vocabulary and embedding table differ in size');
  await mkdir(join(dir, 'onnx'), { recursive: true });
  const json = (value: unknown) => `${JSON.stringify(value, null, 1)}\n`;
  const config = {
    model_type: 'bert',
    architectures: ['BertModel'],
    _name_or_path: spec.name,
    description: spec.description,
    vocab_size: table.vocabSize,
    hidden_size: table.dim,
    num_hidden_layers: 0,
    num_attention_heads: 1,
    intermediate_size: table.dim,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    pad_token_id: 0,
  };
  const tokenizerConfig = {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 512,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
  await writeFile(join(dir, 'config.json'), json(config));
  await writeFile(join(dir, 'tokenizer.json'), json(tokenizerJson(vocab)));
  await writeFile(join(dir, 'tokenizer_config.json'), json(tokenizerConfig));
  await writeFile(join(dir, 'onnx', 'model.onnx'), buildEmbeddingModel(table, false));
  await writeFile(join(dir, 'onnx', 'model_quantized.onnx'), buildEmbeddingModel(table, true));
}
