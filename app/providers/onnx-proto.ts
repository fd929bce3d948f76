/**
 * Just enough of the ONNX protobuf format (onnx.proto, proto2) to write a model in memory:
 * a graph of nodes, weights as raw little-endian initializers, typed inputs and outputs.
 * Field numbers are onnx.proto's; nothing here reads a model back.
 */

/** TensorProto.DataType values used here. */
export const OnnxType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9 } as const;
export type OnnxTypeCode = (typeof OnnxType)[keyof typeof OnnxType];

/** An attribute value: exactly one of these. */
export type OnnxAttribute = { f: number } | { i: number } | { ints: number[] } | { s: string };

class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array) {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private varint(value: bigint | number) {
    // Negative int64 values are written as 10-byte two's complement, as protobuf does.
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private key(field: number, wireType: number) {
    this.varint((field << 3) | wireType);
  }

  int(field: number, value: number | bigint): this {
    this.key(field, 0);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, 2);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (writer: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

type TensorData = Float32Array | Int32Array | BigInt64Array | Uint8Array;

function writeTensor(w: ProtoWriter, name: string, dims: number[], type: OnnxTypeCode, data: TensorData) {
  for (const d of dims) w.int(1, d); // dims
  w.int(2, type); // data_type
  w.string(8, name); // name
  w.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength)); // raw_data (little-endian on every platform Node runs on)
}

/** A dimension: a fixed size, or a name for a size known only at run time. */
type Dim = number | string;

function writeValueInfo(w: ProtoWriter, name: string, type: OnnxTypeCode, dims: Dim[]) {
  w.string(1, name);
  w.message(2, (typeProto) =>
    typeProto.message(1, (tensorType) => {
      tensorType.int(1, type);
      tensorType.message(2, (shape) => {
        for (const d of dims) shape.message(1, (dim) => (typeof d === "number" ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

/** Builds one graph; names of values are generated, so callers pass values around as strings. */
export class OnnxGraphBuilder {
  private nodes: ProtoWriter[] = [];
  private initializers: ProtoWriter[] = [];
  private inputs: ProtoWriter[] = [];
  private outputs: ProtoWriter[] = [];
  private counter = 0;

  private fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  input(name: string, type: OnnxTypeCode, dims: Dim[]): string {
    const w = new ProtoWriter();
    writeValueInfo(w, name, type, dims);
    this.inputs.push(w);
    return name;
  }

  output(value: string, type: OnnxTypeCode, dims: Dim[]): void {
    const w = new ProtoWriter();
    writeValueInfo(w, value, type, dims);
    this.outputs.push(w);
  }

  constant(hint: string, dims: number[], type: OnnxTypeCode, data: TensorData): string {
    const name = this.fresh(hint);
    const w = new ProtoWriter();
    writeTensor(w, name, dims, type, data);
    this.initializers.push(w);
    return name;
  }

  floats(hint: string, dims: number[], data: Float32Array | number[]): string {
    return this.constant(hint, dims, OnnxType.FLOAT, data instanceof Float32Array ? data : Float32Array.from(data));
  }

  int64s(hint: string, values: number[]): string {
    return this.constant(hint, [values.length], OnnxType.INT64, BigInt64Array.from(values.map(BigInt)));
  }

  /** One node; returns its outputs' names. */
  node(opType: string, inputs: string[], attributes: Record<string, OnnxAttribute> = {}, outputCount: number | string[] = 1): string[] {
    const outputs = typeof outputCount === "number" ? Array.from({ length: outputCount }, () => this.fresh(opType)) : outputCount;
    const w = new ProtoWriter();
    for (const input of inputs) w.string(1, input);
    for (const output of outputs) w.string(2, output);
    w.string(3, this.fresh(`${opType}_node`));
    w.string(4, opType);
    for (const [name, value] of Object.entries(attributes)) {
      w.message(5, (a) => {
        a.string(1, name);
        // AttributeType: FLOAT 1, INT 2, STRING 3, INTS 7
        if ("f" in value) a.float(2, value.f).int(20, 1);
        else if ("i" in value) a.int(3, value.i).int(20, 2);
        else if ("s" in value) a.string(4, value.s).int(20, 3);
        else {
          for (const i of value.ints) a.int(8, i);
          a.int(20, 7);
        }
      });
    }
    this.nodes.push(w);
    return outputs;
  }

  /** A node with one output; `name` names it (a graph output), else a name is made up. */
  op(opType: string, inputs: string[], attributes: Record<string, OnnxAttribute> = {}, name?: string): string {
    return this.node(opType, inputs, attributes, name ? [name] : 1)[0];
  }

  /** The ModelProto bytes, for InferenceSession.create. */
  model(options: { name: string; opset: number; producer: string }): Uint8Array {
    const model = new ProtoWriter();
    model.int(1, 8); // ir_version 8 (ONNX 1.10+)
    model.string(2, options.producer); // producer_name
    model.message(7, (graph) => {
      for (const n of this.nodes) graph.bytes(1, n.finish());
      graph.string(2, options.name);
      for (const t of this.initializers) graph.bytes(5, t.finish());
      for (const i of this.inputs) graph.bytes(11, i.finish());
      for (const o of this.outputs) graph.bytes(12, o.finish());
    });
    model.message(8, (opset) => opset.string(1, "").int(2, options.opset)); // opset_import
    return model.finish();
  }
}
