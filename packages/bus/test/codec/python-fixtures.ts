// Bytes as Python writes them, built by hand from the msgpack spec and Python's defaults
// (msgpack >= 1.0: str as str, bytes as bin, float as float64, int as the smallest int; dict
// keys in insertion order), so the tests pin the wire format without Python installed.

/** msgpack.packb({"uid": "abc", "time": 1.5, "num_points": 3, "motors": ["m1"], "ok": True, "none": None}) */
export const PY_START_MSGPACK = Buffer.concat([
  Buffer.from([0x86]),
  Buffer.from([0xa3, ...Buffer.from("uid")]),
  Buffer.from([0xa3, ...Buffer.from("abc")]),
  Buffer.from([0xa4, ...Buffer.from("time")]),
  Buffer.from([0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0]),
  Buffer.from([0xaa, ...Buffer.from("num_points")]),
  Buffer.from([0x03]),
  Buffer.from([0xa6, ...Buffer.from("motors")]),
  Buffer.from([0x91, 0xa2, ...Buffer.from("m1")]),
  Buffer.from([0xa2, ...Buffer.from("ok")]),
  Buffer.from([0xc3]),
  Buffer.from([0xa4, ...Buffer.from("none")]),
  Buffer.from([0xc0]),
]);

/** The document those bytes hold. */
export const PY_START_DOC = {
  uid: "abc",
  time: 1.5,
  num_points: 3,
  motors: ["m1"],
  ok: true,
  none: null,
};

function bin(text: string): number[] {
  return [0xc4, text.length, ...Buffer.from(text)];
}

/** msgpack_numpy.packb(np.array([[1.0, 2.0], [3.0, 4.0]])): a map with bytes keys. */
export function pyNumpyArrayMsgpack(): Buffer {
  const data = Buffer.alloc(32);
  for (const [i, v] of [1, 2, 3, 4].entries()) data.writeDoubleLE(v, i * 8);
  return Buffer.concat([
    Buffer.from([0x85]),
    Buffer.from([...bin("nd"), 0xc3]),
    Buffer.from([...bin("type"), 0xa3, ...Buffer.from("<f8")]),
    Buffer.from([...bin("kind"), 0xc4, 0x00]),
    Buffer.from([...bin("shape"), 0x92, 0x02, 0x02]),
    Buffer.from([...bin("data"), 0xc4, 32]),
    data,
  ]);
}

/** msgpack_numpy.packb(np.uint16(513)) as a big-endian scalar: {b"nd": False, b"type": ">u2", b"data": b"\x02\x01"}. */
export function pyNumpyScalarMsgpack(): Buffer {
  return Buffer.from([
    0x83,
    ...bin("nd"),
    0xc2,
    ...bin("type"),
    0xa3,
    ...Buffer.from(">u2"),
    ...bin("data"),
    0xc4,
    2,
    0x02,
    0x01,
  ]);
}

/** json.dumps({"x": float("nan"), "y": [float("inf"), -float("inf")], "s": "NaN"}).encode() */
export const PY_JSON = Buffer.from('{"x": NaN, "y": [Infinity, -Infinity], "s": "NaN"}');
