//! The bench's object: the same bytes for every size, so that the mock
//! can send it without holding it, check that a PUT body is it, and every
//! program can check that a GET body is it. A block of [`BLOCK`]
//! pseudo-random bytes (xorshift64* from a fixed seed, so that no
//! compression or deduplication on the way can shrink it), repeated;
//! byte `i` of the object is byte `i % BLOCK` of the block.

/// The length of the repeated block.
pub const BLOCK: usize = 1 << 20;

/// The block, made the same way every time.
pub fn block() -> Vec<u8> {
    let mut state: u64 = 0x5DEE_CE66_D1CE_5EED;
    let mut block = Vec::with_capacity(BLOCK);
    while block.len() < BLOCK {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let word = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        block.extend_from_slice(&word.to_le_bytes());
    }
    block
}

/// Whether `data` is the object's bytes from `offset` on (`block` is
/// [`block()`]).
pub fn matches(block: &[u8], mut offset: u64, mut data: &[u8]) -> bool {
    while !data.is_empty() {
        let start = (offset % BLOCK as u64) as usize;
        let n = data.len().min(BLOCK - start);
        if data[..n] != block[start..start + n] {
            return false;
        }
        data = &data[n..];
        offset += n as u64;
    }
    true
}

/// The object's first `size` bytes, written to `out` a block at a time.
pub fn write(block: &[u8], size: u64, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut left = size;
    while left > 0 {
        let n = left.min(BLOCK as u64) as usize;
        out.write_all(&block[..n])?;
        left -= n as u64;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_is_the_same_every_time_and_not_repetitive() {
        let block = block();
        assert_eq!(block.len(), BLOCK);
        assert_eq!(block, super::block());
        // The first bytes, as a separate xorshift64* in Python made them: a
        // change to the generator is seen.
        assert_eq!(block[..4], [0x1c, 0x0a, 0x8b, 0x04]);
        // No short period: the second half is not the first.
        assert_ne!(block[..BLOCK / 2], block[BLOCK / 2..]);
    }

    #[test]
    fn matching_follows_the_block_across_its_end() {
        let block = block();
        let mut object = Vec::new();
        write(&block, BLOCK as u64 + 10, &mut object).unwrap();
        assert_eq!(object.len(), BLOCK + 10);
        assert!(matches(&block, 0, &object));
        // A slice that crosses the block's end, and one past it.
        assert!(matches(&block, BLOCK as u64 - 5, &object[BLOCK - 5..]));
        assert!(matches(&block, 3 * BLOCK as u64 + 2, &object[2..9]));
        // One byte changed, or the right bytes at the wrong offset.
        let mut changed = object[100..200].to_vec();
        changed[50] ^= 1;
        assert!(!matches(&block, 100, &changed));
        assert!(!matches(&block, 101, &object[100..200]));
    }
}
