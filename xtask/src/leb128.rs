//! Unsigned LEB128 numbers, as the wasm format writes sizes, counts and indices.

/// The number at `at` in `bytes`, and where it ends.
pub fn read(bytes: &[u8], mut at: usize) -> Result<(usize, usize), String> {
    let mut value = 0usize;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(at).ok_or("a number runs past the end")?;
        at += 1;
        if shift > 28 {
            return Err("a number is too long".into());
        }
        value |= usize::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((value, at));
        }
        shift += 7;
    }
}

/// Appends `value` to `out`, in as few bytes as it takes.
pub fn write(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}
