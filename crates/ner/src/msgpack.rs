//! Just enough MessagePack to read wordfreq's "cBpack" lists: a top-level array whose first
//! element is a header map and whose element `i + 1` is the array of words at −i centibels.

use crate::lexicon::ByteReader;

enum Value {
    Str(String),
    Array(Vec<Value>),
    Other,
}

fn read(r: &mut ByteReader, depth: usize) -> Result<Value, String> {
    if depth > 16 {
        return Err("msgpack: too deep".into());
    }
    let m = r.byte()?;
    let be = |b: &[u8]| b.iter().fold(0usize, |acc, &x| (acc << 8) | x as usize);
    let array = |r: &mut ByteReader, n: usize| -> Result<Value, String> {
        let mut v = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            v.push(read(r, depth + 1)?);
        }
        Ok(Value::Array(v))
    };
    let map = |r: &mut ByteReader, n: usize| -> Result<Value, String> {
        for _ in 0..2 * n {
            read(r, depth + 1)?;
        }
        Ok(Value::Other)
    };
    let string = |r: &mut ByteReader, n: usize| -> Result<Value, String> {
        Ok(Value::Str(String::from_utf8_lossy(r.take(n)?).into_owned()))
    };
    match m {
        0x00..=0x7f | 0xe0..=0xff | 0xc0 | 0xc2 | 0xc3 => Ok(Value::Other),
        0x80..=0x8f => map(r, (m & 0x0f) as usize),
        0x90..=0x9f => array(r, (m & 0x0f) as usize),
        0xa0..=0xbf => string(r, (m & 0x1f) as usize),
        0xc4 | 0xd9 => {
            let n = r.byte()? as usize;
            string(r, n)
        }
        0xc5 | 0xda => {
            let n = be(r.take(2)?);
            string(r, n)
        }
        0xc6 | 0xdb => {
            let n = be(r.take(4)?);
            string(r, n)
        }
        0xcc | 0xd0 => r.take(1).map(|_| Value::Other),
        0xcd | 0xd1 => r.take(2).map(|_| Value::Other),
        0xce | 0xd2 | 0xca => r.take(4).map(|_| Value::Other),
        0xcf | 0xd3 | 0xcb => r.take(8).map(|_| Value::Other),
        0xdc => {
            let n = be(r.take(2)?);
            array(r, n)
        }
        0xdd => {
            let n = be(r.take(4)?);
            array(r, n)
        }
        0xde => {
            let n = be(r.take(2)?);
            map(r, n)
        }
        0xdf => {
            let n = be(r.take(4)?);
            map(r, n)
        }
        _ => Err(format!("msgpack: unsupported marker {m:#x}")),
    }
}

/// The word rows of a cBpack: row `i` holds the words at −i centibels.
pub fn cbpack_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let mut r = ByteReader::new(bytes);
    let Value::Array(items) = read(&mut r, 0)? else {
        return Err("cBpack: top level is not an array".into());
    };
    Ok(items
        .into_iter()
        .skip(1)
        .map(|row| match row {
            Value::Array(words) => words
                .into_iter()
                .filter_map(|w| match w {
                    Value::Str(s) => Some(s),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_a_tiny_cbpack() {
        // [{"format": "cB"}, ["der", "die"], [], ["haus"]]
        let mut b = vec![0x94, 0x81, 0xa6];
        b.extend_from_slice(b"format");
        b.push(0xa2);
        b.extend_from_slice(b"cB");
        b.extend_from_slice(&[0x92, 0xa3]);
        b.extend_from_slice(b"der");
        b.push(0xa3);
        b.extend_from_slice(b"die");
        b.push(0x90);
        b.extend_from_slice(&[0x91, 0xa4]);
        b.extend_from_slice(b"haus");
        let rows = super::cbpack_rows(&b).unwrap();
        assert_eq!(rows, vec![vec!["der", "die"], vec![], vec!["haus"]]);
        assert!(super::cbpack_rows(&[0xdd, 0xff]).is_err());
    }
}
