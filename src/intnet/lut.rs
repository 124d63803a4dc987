//! The lookup-table GEMM, the hot path of evaluation and retraining
//! (DESIGN.md, "The hot path"): `y[o][p] = sum_k prod(x[k][p], w[o][k])`
//! where `prod` is a table lookup, on an im2col activation matrix.
//!
//! Every path gives identical results (integer sums in wrapping `i32`, so
//! the order of the reduction does not matter): an AVX-512 VBMI path that
//! holds one weight's 256-entry product row in registers and looks up 64
//! activations per byte permute, product columns (one activation byte
//! selects 16 channels' products: vector adds), AVX2 gathers and a
//! portable scalar loop ([`Path`]). The path is picked at run time per
//! GEMM shape ([`auto_path`]); [`gemm_with`] forces one (tests,
//! benchmarks).

use super::arith;
use crate::errmap::{index, ErrorMap};
use rayon::prelude::*;

/// Products of one multiplier as the integer network uses them
/// (`prod(x, w)` of `intnet`'s contract), laid out per weight byte.
#[derive(Clone)]
pub struct ProductTable {
    /// The multiplier is signed (two's complement operands).
    pub signed: bool,
    /// `prod[(w as u8) << 8 | x]`, the contract's product, sign applied.
    prod: Vec<i32>,
    /// Per weight byte, 512 bytes: the low then the high bytes of the 16-bit
    /// words `M(x, |w|)` (unsigned; negated afterwards when `w < 0`) or
    /// `M(x, w) + 2^15` (signed, biased to an unsigned word), for `x = 0..=255`.
    planes: Vec<u8>,
}

/// Two tables are equal when they give the same products (the planes are
/// derived from them).
impl PartialEq for ProductTable {
    fn eq(&self, other: &Self) -> bool {
        self.signed == other.signed && self.prod == other.prod
    }
}

impl std::fmt::Debug for ProductTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProductTable {{ signed: {}, .. }}", self.signed)
    }
}

impl ProductTable {
    /// Table of a multiplier's error map. Products are taken as the
    /// multiplier's 16-bit output word, as the hardware bus carries them.
    pub fn new(map: &ErrorMap) -> Self {
        let signed = map.signed;
        let mut prod = vec![0i32; 65536];
        let mut planes = vec![0u8; 256 * 512];
        let word = |a: u8, b: u8| map.products[index(a, b)] as u16;
        for wb in 0..=255u8 {
            let w = wb as i8;
            let b = if signed { wb } else { w.unsigned_abs() };
            for x in 0..=255u8 {
                prod[(wb as usize) << 8 | x as usize] = arith::product(signed, x, w, word);
                let row = &mut planes[wb as usize * 512..][..512];
                // Signed words are stored biased by 2^15 (as unsigned
                // values), so that the SIMD paths sum them unsigned.
                let v = if signed {
                    word(x, b) ^ 0x8000
                } else {
                    word(x, b)
                };
                row[x as usize] = v as u8;
                row[256 + x as usize] = (v >> 8) as u8;
            }
        }
        ProductTable {
            signed,
            prod,
            planes,
        }
    }

    /// The exact multiplier's table.
    pub fn exact(signed: bool) -> Self {
        Self::new(&ErrorMap::exact(signed))
    }

    /// `prod(x, w)`.
    #[inline]
    pub fn prod(&self, x: u8, w: i8) -> i32 {
        self.prod[(w as u8 as usize) << 8 | x as usize]
    }

    /// `prod(x, w)` for every `x`.
    #[inline]
    pub fn row(&self, w: i8) -> &[i32] {
        &self.prod[(w as u8 as usize) << 8..][..256]
    }
}

/// Which implementation computes the GEMM.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Path {
    /// Portable scalar loop (one table lookup per multiplication).
    Scalar,
    /// AVX-512 VBMI byte permutes (x86-64 with `avx512vbmi` and `avx512bw`).
    Avx512Vbmi,
    /// AVX2 gathers of 8 table entries at a time (x86-64 with `avx2`), for
    /// CPUs without AVX-512 VBMI.
    Avx2,
    /// Product columns (any CPU; vectorized with AVX2 where present): for
    /// each weight position `k` of a block of output channels, a table
    /// `x -> [prod(x, w[o][k]) for o in block]`, so that one activation
    /// byte selects the products of all the block's channels at once and
    /// the lookup is a vector add, no gather. Building the columns costs
    /// 256 entries per weight: worth it where many positions share the
    /// weights (convolutions), not for one position per image.
    Columns,
}

/// Every path, fastest first (for convolutions; see [`auto_path`]).
pub const PATHS: [Path; 4] = [Path::Avx512Vbmi, Path::Columns, Path::Avx2, Path::Scalar];

/// The fastest path this CPU supports.
pub fn best_path() -> Path {
    PATHS
        .into_iter()
        .find(|&p| supported(p))
        .unwrap_or(Path::Scalar)
}

/// Fewest positions for [`Path::Columns`]: its columns cost 256 entries
/// per weight, the other paths about one cycle per product.
const COLUMNS_MIN_POSITIONS: usize = 2048;

/// Most bytes of product columns per position of the GEMM
/// ([`Path::Columns`]): they are built on every call and streamed once per
/// work item. Measured (one thread, 2-core Zen 3): ResNet-8's 32->64
/// stride-2 layer of 32 images (18.9 MB over 2048 positions) ran at 2.0
/// GMAC/s on columns against 1.2-1.6 on gathers, its 64-channel layer
/// (37.7 MB) at 1.1 against 1.2-2.0, and the same of 128 images (8192
/// positions) at 2.4-3.2 against 1.3-2.1.
const COLUMNS_MAX_BYTES_PER_POSITION: usize = 16 << 10;

/// Most bytes of product columns one GEMM builds: the memory they take.
const COLUMNS_MAX_BYTES: usize = 64 << 20;

/// The path for a GEMM of `o_n` channels, `k_n` weights each, over `p_n`
/// positions: [`best_path`], except that [`Path::Columns`] is taken only
/// where enough positions share the weights (at least
/// `COLUMNS_MIN_POSITIONS`, and at most `COLUMNS_MAX_BYTES_PER_POSITION`
/// bytes of columns per position, at most `COLUMNS_MAX_BYTES` in all) and
/// the channels fill at least 3/4 of its lanes (else the next path).
/// Measured on a 2-core Zen 3, one thread, GMAC/s columns / gathers:
/// ResNet-8's 16- and 32-channel layers of 32 images 3.0-3.2 / 1.1-1.2;
/// before the columns were prefetched, LeNet-5 conv2 of 128 images 5.2 /
/// 1.3 and conv1 (6 channels) 1.3 / 1.1 (portable 2.0).
pub fn auto_path(o_n: usize, k_n: usize, p_n: usize) -> Path {
    let lanes = o_n.div_ceil(LANES) * LANES;
    let bytes = columns_bytes(o_n, k_n);
    let columns_pay = p_n >= COLUMNS_MIN_POSITIONS
        && 4 * o_n >= 3 * lanes
        && bytes <= COLUMNS_MAX_BYTES
        && bytes <= COLUMNS_MAX_BYTES_PER_POSITION * p_n;
    PATHS
        .into_iter()
        .filter(|&p| p != Path::Columns || columns_pay)
        .find(|&p| supported(p))
        .unwrap_or(Path::Scalar)
}

thread_local! {
    /// The path [`with_path`] forces on this thread.
    static FORCED: std::cell::Cell<Option<Path>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with every [`gemm`] and [`conv2d`] called on this thread (and
/// so every simulator run it makes) on `path` instead of [`best_path`]:
/// how tests run whole networks on each path. Panics if the CPU lacks it.
pub fn with_path<T>(path: Path, f: impl FnOnce() -> T) -> T {
    assert!(
        supported(path),
        "lut: {path:?} is not supported on this CPU"
    );
    struct Restore(Option<Path>);
    impl Drop for Restore {
        fn drop(&mut self) {
            FORCED.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(FORCED.with(|c| c.replace(Some(path))));
    f()
}

/// The path [`gemm`] and [`conv2d`] take on this thread for a GEMM of that
/// shape ([`auto_path`] unless [`with_path`] forces one).
fn current_path(o_n: usize, k_n: usize, p_n: usize) -> Path {
    FORCED
        .with(|c| c.get())
        .unwrap_or_else(|| auto_path(o_n, k_n, p_n))
}

/// Whether `path` runs on this CPU.
pub fn supported(path: Path) -> bool {
    match path {
        Path::Scalar | Path::Columns => true,
        #[cfg(target_arch = "x86_64")]
        Path::Avx512Vbmi => {
            std::is_x86_feature_detected!("avx512vbmi")
                && std::is_x86_feature_detected!("avx512bw")
                && std::is_x86_feature_detected!("avx512f")
        }
        #[cfg(target_arch = "x86_64")]
        Path::Avx2 => std::is_x86_feature_detected!("avx2"),
        #[cfg(not(target_arch = "x86_64"))]
        _ => false,
    }
}

/// `y[o][p] = sum_k prod(x[k][p], w[o][k])`: `w` is `[o_n][k_n]`, `x` is
/// `[k_n][p_n]`, the result `[o_n][p_n]`. Multithreaded (rayon).
pub fn gemm(
    table: &ProductTable,
    w: &[i8],
    o_n: usize,
    k_n: usize,
    x: &[u8],
    p_n: usize,
) -> Vec<i32> {
    gemm_with(current_path(o_n, k_n, p_n), table, w, o_n, k_n, x, p_n)
}

/// [`gemm`] on a given path; panics if the CPU lacks it (see [`supported`]).
pub fn gemm_with(
    path: Path,
    table: &ProductTable,
    w: &[i8],
    o_n: usize,
    k_n: usize,
    x: &[u8],
    p_n: usize,
) -> Vec<i32> {
    assert_eq!(w.len(), o_n * k_n, "lut::gemm: weights are not o_n x k_n");
    assert_eq!(
        x.len(),
        k_n * p_n,
        "lut::gemm: activations are not k_n x p_n"
    );
    let pack = |p0: usize, len: usize, xt: &mut [u8], width: usize| {
        for k in 0..k_n {
            xt[k * width..][..len].copy_from_slice(&x[k * p_n + p0..][..len]);
        }
    };
    run_tiles(
        path,
        table,
        w,
        o_n,
        k_n,
        p_n,
        p_n.max(1),
        below_128(x),
        &pack,
    )
}

/// Whether every activation is below 128 (then the AVX-512 path needs only
/// one half of each table row). One branch-free pass that vectorizes.
fn below_128(x: &[u8]) -> bool {
    x.iter().fold(0u8, |m, &v| m | v) < 128
}

/// The output, written by all work items at once, each at its own positions.
struct SharedOut {
    ptr: *mut i32,
    len: usize,
}

// SAFETY: work items write disjoint index sets (each its own positions), and
// the vector (its capacity) outlives the parallel loop that writes through
// the pointer.
unsafe impl Sync for SharedOut {}

impl SharedOut {
    /// Write `vals` at `at..at + vals.len()`.
    ///
    /// # Safety
    /// No other thread writes the same indices concurrently.
    unsafe fn write(&self, at: usize, vals: &[i32]) {
        assert!(
            at + vals.len() <= self.len,
            "lut: output index out of range"
        );
        std::ptr::copy_nonoverlapping(vals.as_ptr(), self.ptr.add(at), vals.len());
    }
}

/// Width of a work item in blocks of 64 positions: the one of 4, 3 or 2
/// blocks that splits `p_n` positions most evenly over `threads` (the
/// largest share, in blocks, is the wall time), and never more blocks than
/// `p_n` fills (a fully connected layer of a 32-image batch has 32
/// positions: one block, not two of which 3/4 would be padding).
fn tile_blocks(p_n: usize, threads: usize) -> usize {
    let blocks = p_n.div_ceil(64);
    let span = |tb: usize| blocks.div_ceil(tb).div_ceil(threads.max(1)) * tb;
    [3, 4, 2]
        .into_iter()
        .min_by_key(|&tb| span(tb))
        .unwrap_or(3)
        .min(blocks.max(1))
}

/// Packs positions `p0..p0 + len` of the activations into rows
/// `xt[k * width..][..len]`: `pack(p0, len, xt, width)`.
type Pack<'a> = dyn Fn(usize, usize, &mut [u8], usize) + Sync + 'a;

/// The GEMM over position tiles, all threads: each work item packs a tile of
/// activations (`pack(p0, len, xt, width)` writes rows `xt[k * width..][..len]`
/// for positions `p0..p0 + len`), runs every output channel over it while it
/// is in cache and writes the results straight to their place in the
/// `[n][o_n][per]` output (`per` positions per image; `per = p_n` gives
/// `[o_n][p_n]`). Packing, lookup and reordering all run in parallel.
#[allow(clippy::too_many_arguments)] // the GEMM's operands and geometry, one value each
fn run_tiles(
    path: Path,
    table: &ProductTable,
    w: &[i8],
    o_n: usize,
    k_n: usize,
    p_n: usize,
    per: usize,
    half: bool,
    pack: &Pack<'_>,
) -> Vec<i32> {
    assert!(
        supported(path),
        "lut::gemm: {path:?} is not supported on this CPU"
    );
    if o_n == 0 || p_n == 0 {
        return vec![0i32; o_n * p_n];
    }
    // Written once, by the tiles (no zero-filling pass over the output).
    let mut y: Vec<i32> = Vec::with_capacity(o_n * p_n);
    let order = match path {
        Path::Avx512Vbmi => sign_orders(table, w, o_n, k_n),
        _ => vec![],
    };
    let cols = match path {
        Path::Columns => Columns::new(table, w, o_n, k_n),
        _ => Columns::default(),
    };
    let threads = rayon::current_num_threads();
    let width = match path {
        // Wide tiles: each chunk's columns (128 KiB) come from L3 or memory
        // once per tile, so the tile must serve many positions.
        Path::Columns => p_n
            .div_ceil(threads.max(1))
            .next_multiple_of(64)
            .clamp(64, COLUMN_TILE),
        _ => 64 * tile_blocks(p_n, threads),
    };
    let out = SharedOut {
        ptr: y.as_mut_ptr(),
        len: o_n * p_n,
    };
    let out = &out;
    (0..p_n.div_ceil(width)).into_par_iter().for_each_init(
        || {
            (
                vec![0u8; k_n * width],
                vec![0i32; width],
                vec![0i32; cols.width() * width],
            )
        },
        |(xt, acc, all), t| {
            let p0 = t * width;
            let len = width.min(p_n - p0);
            pack(p0, len, xt, width);
            if len < width {
                for k in 0..k_n {
                    xt[k * width + len..][..width - len].fill(0);
                }
            }
            // Only the blocks that hold positions (the last tile may be short).
            let acc = &mut acc[..len.next_multiple_of(64)];
            if path == Path::Columns {
                // Every channel at once, `[block][position][lane]`.
                cols.tile(xt, width, len, all);
            }
            for o in 0..o_n {
                let wo = &w[o * k_n..][..k_n];
                match path {
                    Path::Columns => cols.channel(all, o, len, acc),
                    Path::Scalar => scalar_tile(table, wo, xt, width, acc),
                    Path::Avx512Vbmi => {
                        #[cfg(target_arch = "x86_64")]
                        // SAFETY: `supported(path)` checked the CPU features above.
                        unsafe {
                            avx512::tile(table, wo, &order[o], xt, width, half, acc)
                        }
                    }
                    Path::Avx2 => {
                        #[cfg(target_arch = "x86_64")]
                        // SAFETY: `supported(path)` checked the CPU features above.
                        unsafe {
                            avx2::tile(table, wo, xt, width, acc)
                        }
                    }
                }
                // Positions p0..p0 + len, in runs that stay within one image.
                let mut p = p0;
                while p < p0 + len {
                    let (img, q) = (p / per, p % per);
                    let run = (per - q).min(p0 + len - p);
                    // SAFETY: position p of channel o belongs to this tile only.
                    unsafe { out.write((img * o_n + o) * per + q, &acc[p - p0..][..run]) };
                    p += run;
                }
            }
        },
    );
    // SAFETY: the tiles cover positions `0..p_n` and each wrote every
    // channel's values at its positions: all `o_n * p_n` are initialized.
    unsafe { y.set_len(o_n * p_n) };
    y
}

/// Per output channel, the reduction order of the AVX-512 path: weights that
/// add their table word first, then (`split` onwards) those that subtract it
/// (negative weights of an unsigned multiplier).
struct SignOrder {
    ks: Vec<u32>,
    split: usize,
}

fn sign_orders(table: &ProductTable, w: &[i8], o_n: usize, k_n: usize) -> Vec<SignOrder> {
    (0..o_n)
        .map(|o| {
            let wo = &w[o * k_n..][..k_n];
            let neg = |wv: i8| !table.signed && wv < 0;
            let mut ks: Vec<u32> = (0..k_n as u32).filter(|&k| !neg(wo[k as usize])).collect();
            let split = ks.len();
            ks.extend((0..k_n as u32).filter(|&k| neg(wo[k as usize])));
            SignOrder { ks, split }
        })
        .collect()
}

/// Output channels per block of [`Path::Columns`]: one 64-byte column row
/// (16 `i32`), two AVX2 registers of sums per position.
const LANES: usize = 16;

/// `i32`s of one column of [`Path::Columns`]: a block's products of one
/// weight position for every activation byte.
const COLUMN: usize = 256 * LANES;

/// Weight positions per chunk of [`Path::Columns`]: a chunk's columns
/// (8 x 256 rows of 64 bytes, 128 KiB) and the next chunk's, prefetched
/// while this one sweeps the tile, stay in L2 beside the tile's sums.
/// Without the prefetch each column line missed on its first use: 16-chunk
/// sweeps ran at 1.5-1.7 GMAC/s on the 32-channel ResNet-8 shapes against
/// 3.6-5.1 with it (one thread, 2-core Zen 3).
const COLUMN_CHUNK: usize = 8;

/// Most positions per work item of [`Path::Columns`]: two chunks' columns
/// and the tile's sums of one block (128 KiB) fit in L2 together.
const COLUMN_TILE: usize = 2048;

/// Bytes of the product columns of `o_n` channels of `k_n` weights.
fn columns_bytes(o_n: usize, k_n: usize) -> usize {
    o_n.div_ceil(LANES) * k_n * COLUMN * std::mem::size_of::<i32>()
}

/// The product columns of [`Path::Columns`]: `rows[((b * k_n + k) * 256 +
/// x) * LANES + j] = prod(x, w[b * LANES + j][k])` (0 past the last
/// channel).
#[derive(Default)]
struct Columns {
    rows: Vec<i32>,
    k_n: usize,
    blocks: usize,
}

impl Columns {
    fn new(table: &ProductTable, w: &[i8], o_n: usize, k_n: usize) -> Self {
        let blocks = o_n.div_ceil(LANES);
        let mut rows = vec![0i32; blocks * k_n * COLUMN];
        rows.par_chunks_mut(COLUMN)
            .enumerate()
            .for_each(|(bk, col)| {
                let (b, k) = (bk / k_n.max(1), bk % k_n.max(1));
                let lanes = LANES.min(o_n - b * LANES);
                let tables: Vec<&[i32]> = (0..lanes)
                    .map(|j| table.row(w[(b * LANES + j) * k_n + k]))
                    .collect();
                // Row by row, so the writes are sequential.
                for (x, row) in col.chunks_exact_mut(LANES).enumerate() {
                    for (v, t) in row.iter_mut().zip(&tables) {
                        *v = t[x];
                    }
                }
            });
        Columns { rows, k_n, blocks }
    }

    /// Sums per position of a tile: every block's lanes.
    fn width(&self) -> usize {
        self.blocks * LANES
    }

    /// Sums of every channel at positions `0..len` of a packed tile (row
    /// `k` at `x[k * width..]`) into `all[(b * len + p) * LANES + j]`.
    fn tile(&self, x: &[u8], width: usize, len: usize, all: &mut [i32]) {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: AVX2 was just detected.
            return unsafe { self.tile_avx2(x, width, len, all) };
        }
        self.tile_portable(x, width, len, all)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn tile_avx2(&self, x: &[u8], width: usize, len: usize, all: &mut [i32]) {
        self.tile_portable(x, width, len, all)
    }

    /// Per block and chunk of [`COLUMN_CHUNK`] weights, each position's 16
    /// sums stay in registers while each of its activation bytes selects
    /// one 64-byte row to add (inlined into the AVX2 wrapper, which the
    /// compiler vectorizes with 256-bit adds).
    #[inline(always)]
    fn tile_portable(&self, x: &[u8], width: usize, len: usize, all: &mut [i32]) {
        let k_n = self.k_n;
        let all = &mut all[..self.blocks * len * LANES];
        all.fill(0);
        for (b, out) in all.chunks_exact_mut(len * LANES).enumerate() {
            let cols = &self.rows[b * k_n * COLUMN..][..k_n * COLUMN];
            for k0 in (0..k_n).step_by(COLUMN_CHUNK) {
                let k1 = (k0 + COLUMN_CHUNK).min(k_n);
                // The next chunk's columns (the next block's first at the
                // last chunk), a few lines per position, so that they are
                // in L2 when its sweep starts instead of each line missing
                // on first use.
                let next: &[i32] = if k1 < k_n {
                    &cols[k1 * COLUMN..(k1 + COLUMN_CHUNK).min(k_n) * COLUMN]
                } else if b + 1 < self.blocks {
                    &self.rows[(b + 1) * k_n * COLUMN..][..COLUMN_CHUNK.min(k_n) * COLUMN]
                } else {
                    &[]
                };
                let per_position = next.len().div_ceil(LINE_I32 * len.max(1));
                let mut lines = next.iter().step_by(LINE_I32);
                for (p, sums) in out.chunks_exact_mut(LANES).enumerate() {
                    for v in lines.by_ref().take(per_position) {
                        prefetch_l2(v);
                    }
                    let mut acc: [i32; LANES] = sums.try_into().expect("LANES sums");
                    for k in k0..k1 {
                        let xv = x[k * width + p] as usize;
                        let row: &[i32; LANES] = cols[(k * 256 + xv) * LANES..][..LANES]
                            .try_into()
                            .expect("LANES products");
                        for (a, &v) in acc.iter_mut().zip(row) {
                            *a = a.wrapping_add(v);
                        }
                    }
                    sums.copy_from_slice(&acc);
                }
            }
        }
    }

    /// Channel `o`'s sums of a tile computed by [`Columns::tile`], in
    /// position order, into `out[..len]`.
    fn channel(&self, all: &[i32], o: usize, len: usize, out: &mut [i32]) {
        let (b, j) = (o / LANES, o % LANES);
        let block = &all[b * len * LANES..][..len * LANES];
        for (v, sums) in out.iter_mut().zip(block.chunks_exact(LANES)) {
            *v = sums[j];
        }
    }
}

/// `i32`s per 64-byte cache line.
const LINE_I32: usize = 16;

/// Hint the CPU to bring the cache line of `v` into L2 (a no-op where
/// there is no such hint).
#[inline(always)]
fn prefetch_l2(v: &i32) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never faults and `v` is a valid reference.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T1 }>(
            v as *const i32 as *const i8,
        )
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = v;
}

/// Weights per chunk of the reduction in the portable and AVX2 paths: their
/// 1 KiB `i32` rows (16 KiB) stay in L1 while the chunk sweeps the tile.
const K_CHUNK: usize = 16;

/// Portable path: one table lookup per product, eight positions at a time.
/// The reduction runs in chunks of [`K_CHUNK`] weights; per chunk and group
/// of 8 positions the eight sums stay in registers, and one 64-bit load
/// brings the group's activation bytes of one weight (the lookups, not the
/// loads and stores of the sums, are the work).
fn scalar_tile(table: &ProductTable, wo: &[i8], x: &[u8], width: usize, out: &mut [i32]) {
    assert!(out.len().is_multiple_of(8) && out.len() <= width);
    out.fill(0);
    for (c, chunk) in wo.chunks(K_CHUNK).enumerate() {
        let xc = &x[c * K_CHUNK * width..];
        for (g, o) in out.chunks_exact_mut(8).enumerate() {
            let mut a: [i32; 8] = o.try_into().expect("groups of 8");
            for (k, &wv) in chunk.iter().enumerate() {
                let row: &[i32; 256] = table.row(wv).try_into().expect("256 products per row");
                let xs: &[u8; 8] = xc[k * width + g * 8..][..8].try_into().expect("8 bytes");
                for (aj, &xj) in a.iter_mut().zip(xs) {
                    *aj = aj.wrapping_add(row[xj as usize]);
                }
            }
            o.copy_from_slice(&a);
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{ProductTable, K_CHUNK};
    use std::arch::x86_64::*;

    /// One output channel over the `out.len()` positions (whole blocks of
    /// 64) of a packed tile (row `k` at `x[k * width..]`). The reduction
    /// runs in chunks of [`K_CHUNK`] weights; per chunk and block of 64
    /// positions, eight 8-lane sums stay in registers and each step
    /// gathers 8 products of the weight's 256-entry `i32` row at once,
    /// from L1 (all weights' rows per block would not fit: the gathers
    /// then wait on L2).
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub unsafe fn tile(table: &ProductTable, wo: &[i8], x: &[u8], width: usize, out: &mut [i32]) {
        assert!(out.len().is_multiple_of(64) && out.len() <= width);
        assert!(wo.is_empty() || x.len() >= (wo.len() - 1) * width + out.len());
        out.fill(0);
        for (c, chunk) in wo.chunks(K_CHUNK).enumerate() {
            let k0 = c * K_CHUNK;
            for (b, o) in out.chunks_exact_mut(64).enumerate() {
                let op = o.as_mut_ptr() as *mut __m256i;
                let mut acc = [_mm256_setzero_si256(); 8];
                for (j, a) in acc.iter_mut().enumerate() {
                    *a = _mm256_loadu_si256(op.add(j));
                }
                let xp = x.as_ptr().add(k0 * width + b * 64);
                for (k, &wv) in chunk.iter().enumerate() {
                    let row = table.row(wv).as_ptr();
                    let xrow = xp.add(k * width);
                    for (j, a) in acc.iter_mut().enumerate() {
                        let idx = _mm256_cvtepu8_epi32(_mm_loadl_epi64(
                            xrow.add(j * 8) as *const __m128i
                        ));
                        *a = _mm256_add_epi32(*a, _mm256_i32gather_epi32::<4>(row, idx));
                    }
                }
                for (j, a) in acc.iter().enumerate() {
                    _mm256_storeu_si256(op.add(j), *a);
                }
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::{ProductTable, SignOrder};
    use std::arch::x86_64::*;

    /// Accumulators for one block of 64 positions: lane `d` of `a[r]` holds
    /// position `4d + [0, 2, 1, 3][r]` (the order the byte planes unpack in).
    const LANE_POS: [usize; 4] = [0, 2, 1, 3];

    type Acc<const NB: usize> = [[__m512i; 4]; NB];

    /// One output channel over the `out.len()` positions (whole blocks of
    /// 64) of a packed tile: row `k` of the activations is
    /// `x[k * width..][..out.len()]`.
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, BW and VBMI.
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
    pub unsafe fn tile(
        table: &ProductTable,
        wo: &[i8],
        order: &SignOrder,
        x: &[u8],
        width: usize,
        half: bool,
        out: &mut [i32],
    ) {
        match (table.signed, half) {
            (false, false) => tile_as::<false, false>(table, wo, order, x, width, out),
            (false, true) => tile_as::<false, true>(table, wo, order, x, width, out),
            (true, false) => tile_as::<true, false>(table, wo, order, x, width, out),
            (true, true) => tile_as::<true, true>(table, wo, order, x, width, out),
        }
    }

    /// [`tile`] for a table signedness and, with `HALF`, activations that
    /// are all below 128 (one byte permute per plane instead of two).
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
    unsafe fn tile_as<const SIGNED: bool, const HALF: bool>(
        table: &ProductTable,
        wo: &[i8],
        order: &SignOrder,
        x: &[u8],
        width: usize,
        out: &mut [i32],
    ) {
        let full = out.len() / 64;
        assert!(out.len().is_multiple_of(64) && out.len() <= width);
        assert!(wo.is_empty() || x.len() >= (wo.len() - 1) * width + out.len());
        assert!(order.ks.iter().all(|&k| (k as usize) < wo.len()));
        // Blocks of 64, up to four at a time: 16 registers of sums and 4 of
        // table (8 with full rows, still no spill). Each step's table row
        // comes from L2 (the 256 rows take 128 KiB), so more blocks per
        // row load is faster: full rows ran at 11.4-11.9 GMAC/s as four
        // blocks against 9.7-9.9 as two and two (unsigned 16->16 @32, one
        // thread, Ice Lake, best of interleaved runs).
        let mut b = 0;
        while b < full {
            let nb = (full - b).min(4);
            let at = b * 64;
            let o = &mut out[at..];
            match nb {
                4 => store(
                    &blocks::<4, SIGNED, HALF>(table, wo, order, x, width, at),
                    o,
                ),
                3 => store(
                    &blocks::<3, SIGNED, HALF>(table, wo, order, x, width, at),
                    o,
                ),
                2 => store(
                    &blocks::<2, SIGNED, HALF>(table, wo, order, x, width, at),
                    o,
                ),
                _ => store(
                    &blocks::<1, SIGNED, HALF>(table, wo, order, x, width, at),
                    o,
                ),
            }
            b += nb;
        }
    }

    /// Write blocks of accumulators to `out` in position order: per block
    /// a 4 x 16 transposition of 32-bit lanes (interleaves within 128-bit
    /// lanes, then a 4 x 4 transposition of the 128-bit lanes).
    #[inline(always)]
    unsafe fn store<const NB: usize>(acc: &Acc<NB>, out: &mut [i32]) {
        // `a[r]` lane `d` is position `4d + LANE_POS[r]`: a[0] 4d, a[2]
        // 4d + 1, a[1] 4d + 2, a[3] 4d + 3.
        assert!(LANE_POS == [0, 2, 1, 3] && out.len() >= NB * 64);
        for (j, a) in acc.iter().enumerate() {
            let (u_lo, v_lo) = (
                _mm512_unpacklo_epi32(a[0], a[2]),
                _mm512_unpacklo_epi32(a[1], a[3]),
            );
            let (u_hi, v_hi) = (
                _mm512_unpackhi_epi32(a[0], a[2]),
                _mm512_unpackhi_epi32(a[1], a[3]),
            );
            // 128-bit lane c of q[i]: positions 16c + 4i ..= 16c + 4i + 3.
            let q = [
                _mm512_unpacklo_epi64(u_lo, v_lo),
                _mm512_unpackhi_epi64(u_lo, v_lo),
                _mm512_unpacklo_epi64(u_hi, v_hi),
                _mm512_unpackhi_epi64(u_hi, v_hi),
            ];
            let t0 = _mm512_shuffle_i32x4::<0x44>(q[0], q[1]);
            let t1 = _mm512_shuffle_i32x4::<0x44>(q[2], q[3]);
            let t2 = _mm512_shuffle_i32x4::<0xEE>(q[0], q[1]);
            let t3 = _mm512_shuffle_i32x4::<0xEE>(q[2], q[3]);
            let o = out.as_mut_ptr().add(j * 64) as *mut __m512i;
            _mm512_storeu_si512(o, _mm512_shuffle_i32x4::<0x88>(t0, t1));
            _mm512_storeu_si512(o.add(1), _mm512_shuffle_i32x4::<0xDD>(t0, t1));
            _mm512_storeu_si512(o.add(2), _mm512_shuffle_i32x4::<0x88>(t2, t3));
            _mm512_storeu_si512(o.add(3), _mm512_shuffle_i32x4::<0xDD>(t2, t3));
        }
    }

    /// The 16-bit sums of one block: low-byte plane over all 32 words
    /// (`s_lo`, wrapping) and over the odd bytes only (`o_lo`), the same for
    /// the high-byte plane. A byte sum of at most [`CHUNK`] steps fits 16
    /// bits, so the even bytes' sum is `s - (o << 8)` exactly.
    type Acc16<const NB: usize> = [[__m512i; 4]; NB];

    /// Steps summed in 16 bits before they are added to the 32-bit sums
    /// (`255 * 256 < 2^16`).
    const CHUNK: usize = 256;

    /// `NB` blocks of 64 positions at `p`, the whole reduction: the weights
    /// that add their table word, then those that subtract it, each in
    /// chunks of [`CHUNK`] steps summed in 16 bits and widened once.
    #[inline(always)]
    unsafe fn blocks<const NB: usize, const SIGNED: bool, const HALF: bool>(
        table: &ProductTable,
        wo: &[i8],
        order: &SignOrder,
        x: &[u8],
        width: usize,
        p: usize,
    ) -> Acc<NB> {
        let mut acc: Acc<NB> = [[_mm512_setzero_si512(); 4]; NB];
        let planes = table.planes.as_ptr();
        let xp = x.as_ptr().add(p);
        let (plus, minus) = order.ks.split_at(order.split);
        for (ks, sub) in [(plus, false), (minus, true)] {
            for chunk in ks.chunks(CHUNK) {
                let mut a16: Acc16<NB> = [[_mm512_setzero_si512(); 4]; NB];
                for &k in chunk {
                    step::<NB, HALF>(&mut a16, planes, wo, xp, width, k as usize);
                }
                // Signed tables store words biased by 2^15 (unsigned sums).
                let bias = if SIGNED {
                    32768 * chunk.len() as i32
                } else {
                    0
                };
                widen(&mut acc, &a16, sub, bias);
            }
        }
        acc
    }

    /// Add (or with `sub` subtract) 16-bit block sums, less `bias` per
    /// position, to the 32-bit sums.
    #[inline(always)]
    unsafe fn widen<const NB: usize>(acc: &mut Acc<NB>, a16: &Acc16<NB>, sub: bool, bias: i32) {
        let low16 = _mm512_set1_epi32(0xFFFF);
        let bias = _mm512_set1_epi32(bias);
        for (a, s) in acc.iter_mut().zip(a16) {
            // Byte sums of even and odd positions, 16 bits each.
            let lo_odd = s[1];
            let lo_even = _mm512_sub_epi16(s[0], _mm512_slli_epi16(lo_odd, 8));
            let hi_odd = s[3];
            let hi_even = _mm512_sub_epi16(s[2], _mm512_slli_epi16(hi_odd, 8));
            // Words of positions 4d, 4d+2 (even) and 4d+1, 4d+3 (odd).
            let word = |lo: __m512i, hi: __m512i| {
                (
                    _mm512_add_epi32(
                        _mm512_and_si512(lo, low16),
                        _mm512_slli_epi32(_mm512_and_si512(hi, low16), 8),
                    ),
                    _mm512_add_epi32(
                        _mm512_srli_epi32(lo, 16),
                        _mm512_slli_epi32(_mm512_srli_epi32(hi, 16), 8),
                    ),
                )
            };
            let (w0, w1) = word(lo_even, hi_even);
            let (w2, w3) = word(lo_odd, hi_odd);
            for (r, wv) in [w0, w1, w2, w3].into_iter().enumerate() {
                let wv = _mm512_sub_epi32(wv, bias);
                a[r] = if sub {
                    _mm512_sub_epi32(a[r], wv)
                } else {
                    _mm512_add_epi32(a[r], wv)
                };
            }
        }
    }

    /// Add weight `k`'s table words for the activations of row `k` to the
    /// 16-bit sums: two byte permutes per plane (one with `HALF`), then per
    /// plane one add of the whole words and one of the odd bytes.
    #[inline(always)]
    unsafe fn step<const NB: usize, const HALF: bool>(
        acc: &mut Acc16<NB>,
        planes: *const u8,
        wo: &[i8],
        xp: *const u8,
        width: usize,
        k: usize,
    ) {
        let row = planes.add(*wo.get_unchecked(k) as u8 as usize * 512);
        let ld = |o: usize| _mm512_loadu_si512(row.add(o) as *const _);
        let (l0, l1, h0, h1) = (ld(0), ld(64), ld(256), ld(320));
        let (l2, l3, h2, h3) = if HALF {
            (l0, l1, h0, h1)
        } else {
            (ld(128), ld(192), ld(384), ld(448))
        };
        let xrow = xp.add(k * width);
        for (j, a) in acc.iter_mut().enumerate() {
            let xv = _mm512_loadu_si512(xrow.add(j * 64) as *const _);
            let (lo, hi) = if HALF {
                (
                    _mm512_permutex2var_epi8(l0, xv, l1),
                    _mm512_permutex2var_epi8(h0, xv, h1),
                )
            } else {
                // The upper half of the row where the top bit is set (the
                // other bytes keep their index), then the lower half where
                // it is not: no blend. 2-3 % faster than two full permutes
                // and a blend per plane (unsigned 16->16 @32, 32->64 @16
                // s2, 64->64 @8; one Ice Lake core, interleaved runs).
                let top = _mm512_movepi8_mask(xv);
                let low = _knot_mask64(top);
                let half = |t0, t1, t2, t3| {
                    let upper = _mm512_mask2_permutex2var_epi8(t2, xv, top, t3);
                    _mm512_mask2_permutex2var_epi8(t0, upper, low, t1)
                };
                (half(l0, l1, l2, l3), half(h0, h1, h2, h3))
            };
            a[0] = _mm512_add_epi16(a[0], lo);
            a[1] = _mm512_add_epi16(a[1], _mm512_srli_epi16(lo, 8));
            a[2] = _mm512_add_epi16(a[2], hi);
            a[3] = _mm512_add_epi16(a[3], _mm512_srli_epi16(hi, 8));
        }
    }
}

/// Output height and width of a `kernel`-wide window over an `h x w` map
/// ([`arith::window_out`], the contract's size rule). A window that does
/// not fit is a caller's bug, not user input.
fn out_size(h: usize, w: usize, kernel: usize, stride: usize, padding: usize) -> (usize, usize) {
    let size = |n| {
        arith::window_out(n, kernel, stride, padding)
            .unwrap_or_else(|| panic!("lut: a {kernel}-wide window does not fit {n}"))
    };
    (size(h), size(w))
}

/// im2col of a batch: `input` is `[n][c][h][w]`, the result `[k][p]` with
/// `k = (c, ky, kx)` and `p = (image, oy, ox)`; padding reads activation 0.
pub fn im2col(
    input: &[u8],
    dims: [usize; 4],
    kernel: usize,
    stride: usize,
    padding: usize,
) -> (Vec<u8>, usize, usize) {
    let [n, c, h, w] = dims;
    let (oh, ow) = out_size(h, w, kernel, stride, padding);
    let k_n = c * kernel * kernel;
    let p_n = n * oh * ow;
    let mut cols = vec![0u8; k_n * p_n];
    cols.par_chunks_mut(p_n).enumerate().for_each(|(k, row)| {
        let (ci, ky, kx) = (k / (kernel * kernel), k / kernel % kernel, k % kernel);
        for img in 0..n {
            let plane = &input[(img * c + ci) * h * w..][..h * w];
            for oy in 0..oh {
                let iy = (oy * stride + ky) as isize - padding as isize;
                let dst = &mut row[(img * oh + oy) * ow..][..ow];
                if iy < 0 || iy >= h as isize {
                    continue;
                }
                let src = &plane[iy as usize * w..][..w];
                for (ox, d) in dst.iter_mut().enumerate() {
                    let ix = (ox * stride + kx) as isize - padding as isize;
                    if ix >= 0 && ix < w as isize {
                        *d = src[ix as usize];
                    }
                }
            }
        }
    });
    (cols, k_n, p_n)
}

/// `dst.copy_from_slice(src)` for the short rows of packing (one output
/// row, at most a few dozen bytes), in fixed-size pieces that compile to
/// plain vector moves instead of a `memcpy` call per row.
#[inline(always)]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    assert_eq!(dst.len(), src.len());
    let mut d = dst.chunks_exact_mut(16);
    let mut s = src.chunks_exact(16);
    for (d, s) in (&mut d).zip(&mut s) {
        d.copy_from_slice(s);
    }
    let (d, s) = (d.into_remainder(), s.remainder());
    if d.len() >= 8 {
        d[..8].copy_from_slice(&s[..8]);
        for (d, s) in d[8..].iter_mut().zip(&s[8..]) {
            *d = *s;
        }
    } else {
        for (d, s) in d.iter_mut().zip(s) {
            *d = *s;
        }
    }
}

/// `dst[i] = src[2 * i]` for the short rows of stride-2 packing, eight at
/// a time from 16-byte pieces where `src` has them (shuffles instead of one
/// byte load and store per value: packing stride-2 layers took a fifth of
/// their convolution). `src` must hold `2 * dst.len() - 1` bytes.
#[inline(always)]
fn copy_even(dst: &mut [u8], src: &[u8]) {
    assert!(src.len() + 1 >= 2 * dst.len());
    let whole = (src.len() / 16).min(dst.len() / 8);
    for (d, s) in dst
        .chunks_exact_mut(8)
        .zip(src.chunks_exact(16))
        .take(whole)
    {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::*;
            // SAFETY: SSE2 is part of x86-64; the loads and the store
            // stay within the 16- and 8-byte pieces.
            unsafe {
                let v = _mm_loadu_si128(s.as_ptr() as *const __m128i);
                // Words' low bytes (the even ones), packed into 8 bytes.
                let even = _mm_packus_epi16(_mm_and_si128(v, _mm_set1_epi16(0xff)), v);
                _mm_storel_epi64(d.as_mut_ptr() as *mut __m128i, even);
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        for (i, d) in d.iter_mut().enumerate() {
            *d = s[2 * i];
        }
    }
    for (i, d) in dst.iter_mut().enumerate().skip(8 * whole) {
        *d = src[2 * i];
    }
}

/// Lookup-table convolution of a batch (bias excluded): `weights` is
/// `[out_ch][c][kernel][kernel]`, `input` `[n][c][h][w]` (`dims`), the result
/// `[n][out_ch][oh][ow]` accumulators. Padded positions multiply activation 0.
/// Panics if the sizes do not fit together (a caller's bug, not user input).
#[allow(clippy::too_many_arguments)] // the convolution's geometry, one value each
pub fn conv2d(
    table: &ProductTable,
    weights: &[i8],
    out_ch: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
    input: &[u8],
    dims: [usize; 4],
) -> Vec<i32> {
    let [n, c, h, w] = dims;
    let (oh, ow) = out_size(h, w, kernel, stride, padding);
    conv2d_with(
        current_path(out_ch, c * kernel * kernel, n * oh * ow),
        table,
        weights,
        out_ch,
        kernel,
        stride,
        padding,
        input,
        dims,
    )
}

/// [`conv2d`] on a given path; panics if the CPU lacks it (see [`supported`]).
#[allow(clippy::too_many_arguments)] // the convolution's geometry, one value each
pub fn conv2d_with(
    path: Path,
    table: &ProductTable,
    weights: &[i8],
    out_ch: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
    input: &[u8],
    dims: [usize; 4],
) -> Vec<i32> {
    let [n, c, h, w] = dims;
    assert_eq!(
        input.len(),
        n * c * h * w,
        "lut::conv2d: input is not n*c*h*w"
    );
    assert!(h + 2 * padding >= kernel && w + 2 * padding >= kernel && stride >= 1 && kernel >= 1);
    let (oh, ow) = out_size(h, w, kernel, stride, padding);
    // Zero-padded copy of the input, so that packing is plain copies.
    let (hp, wp) = (h + 2 * padding, w + 2 * padding);
    // The same parallel pass finds whether every activation is below 128
    // ([`below_128`], a serial pass of its own in `gemm_with`).
    let mut padded = vec![0u8; n * c * hp * wp];
    let half = padded
        .par_chunks_mut(hp * wp)
        .zip(input.par_chunks(h * w))
        .map(|(dst, src)| {
            for (y, row) in src.chunks(w).enumerate() {
                dst[(y + padding) * wp + padding..][..w].copy_from_slice(row);
            }
            below_128(src)
        })
        .reduce(|| true, |a, b| a && b);
    let per = oh * ow;
    let pack = |p0: usize, len: usize, xt: &mut [u8], width: usize| {
        let mut p = p0;
        while p < p0 + len {
            let (img, q) = (p / per, p % per);
            let (oy, ox0) = (q / ow, q % ow);
            let run = (ow - ox0).min(p0 + len - p);
            let off = p - p0;
            for ci in 0..c {
                let plane = &padded[(img * c + ci) * hp * wp..][..hp * wp];
                for ky in 0..kernel {
                    let line = &plane[(oy * stride + ky) * wp + ox0 * stride..];
                    for kx in 0..kernel {
                        let k = (ci * kernel + ky) * kernel + kx;
                        let dst = &mut xt[k * width + off..][..run];
                        if stride == 1 {
                            copy_short(dst, &line[kx..][..run]);
                        } else if stride == 2 {
                            copy_even(dst, &line[kx..]);
                        } else {
                            for (i, d) in dst.iter_mut().enumerate() {
                                *d = line[kx + i * stride];
                            }
                        }
                    }
                }
            }
            p += run;
        }
    };
    let k_n = c * kernel * kernel;
    assert_eq!(
        weights.len(),
        out_ch * k_n,
        "lut::conv2d: weights are not out_ch x c x k x k"
    );
    run_tiles(path, table, weights, out_ch, k_n, n * per, per, half, &pack)
}

/// The definition, for tests and benchmarks: a direct convolution with one
/// error-map lookup per multiplication (sign-magnitude for an unsigned map,
/// as `intnet`'s contract says), independent of [`ProductTable`] and of the
/// kernel's im2col and packing. Same operands and result as [`conv2d`].
#[doc(hidden)]
#[allow(clippy::too_many_arguments)] // the convolution's geometry, one value each
pub fn direct_conv2d(
    map: &ErrorMap,
    weights: &[i8],
    out_ch: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
    input: &[u8],
    dims: [usize; 4],
) -> Vec<i32> {
    let [n, c, h, w] = dims;
    let (oh, ow) = out_size(h, w, kernel, stride, padding);
    let mut out = vec![0i32; n * out_ch * oh * ow];
    for img in 0..n {
        for oc in 0..out_ch {
            for oy in 0..oh {
                for ox in 0..ow {
                    let mut acc = 0i32;
                    for ci in 0..c {
                        for ky in 0..kernel {
                            for kx in 0..kernel {
                                let iy = (oy * stride + ky) as isize - padding as isize;
                                let ix = (ox * stride + kx) as isize - padding as isize;
                                let inside =
                                    iy >= 0 && ix >= 0 && iy < h as isize && ix < w as isize;
                                let xv = if inside {
                                    input[((img * c + ci) * h + iy as usize) * w + ix as usize]
                                } else {
                                    0
                                };
                                let wv = weights[((oc * c + ci) * kernel + ky) * kernel + kx];
                                let m = if map.signed {
                                    map.product(xv, wv as u8)
                                } else if wv < 0 {
                                    -map.product(xv, wv.unsigned_abs())
                                } else {
                                    map.product(xv, wv as u8)
                                };
                                acc = acc.wrapping_add(m);
                            }
                        }
                    }
                    out[((img * out_ch + oc) * oh + oy) * ow + ox] = acc;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// The definition: one lookup per multiplication, straight from the map.
    fn naive(map: &ErrorMap, w: &[i8], o_n: usize, k_n: usize, x: &[u8], p_n: usize) -> Vec<i32> {
        let mut y = vec![0i32; o_n * p_n];
        for o in 0..o_n {
            for p in 0..p_n {
                let mut s = 0i32;
                for k in 0..k_n {
                    let (xv, wv) = (x[k * p_n + p], w[o * k_n + k]);
                    s += if map.signed {
                        map.product(xv, wv as u8)
                    } else {
                        let m = map.product(xv, wv.unsigned_abs());
                        if wv < 0 {
                            -m
                        } else {
                            m
                        }
                    };
                }
                y[o * p_n + p] = s;
            }
        }
        y
    }

    fn approx_maps() -> Vec<ErrorMap> {
        vec![
            ErrorMap::exact(false),
            ErrorMap::exact(true),
            // Truncated, with a non-zero product for zero operands.
            ErrorMap::from_fn(false, |a, b| ((a * b) & !0x3f) + 7),
            ErrorMap::from_fn(true, |a, b| (a * b) ^ 0x55),
            // Arbitrary words over the whole 16-bit range.
            ErrorMap::from_fn(false, |a, b| (a * 251 + b * 65_521) & 0xffff),
            ErrorMap::from_fn(true, |a, b| ((a * 977 + b * 331) & 0xffff) - 32768),
        ]
    }

    #[test]
    fn every_path_matches_the_naive_definition() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let paths: Vec<Path> = PATHS.into_iter().filter(|&p| supported(p)).collect();
        for map in approx_maps() {
            let table = ProductTable::new(&map);
            for &(o_n, k_n, p_n) in &[
                (1, 1, 1),
                (3, 5, 63),
                (2, 9, 64),
                (4, 27, 65),
                (5, 17, 200),
                (2, 3, 449),
                (1, 300, 130),
                (7, 40, 32),
                (20, 30, 70),
                (33, 19, 129),
            ] {
                let w: Vec<i8> = (0..o_n * k_n)
                    .map(|_| rng.random_range(-127..=127))
                    .collect();
                // Activations over the whole byte range and below 128 only.
                for xmax in [255u8, 127] {
                    let x: Vec<u8> = (0..k_n * p_n).map(|_| rng.random_range(0..=xmax)).collect();
                    let want = naive(&map, &w, o_n, k_n, &x, p_n);
                    for &path in &paths {
                        let got = gemm_with(path, &table, &w, o_n, k_n, &x, p_n);
                        assert_eq!(
                            got, want,
                            "{path:?} signed={} x<={xmax} shape {o_n}x{k_n}x{p_n}",
                            map.signed
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn tiles_are_never_wider_than_the_positions() {
        // A fully connected layer of a 32-image batch: one block of 64.
        assert_eq!(tile_blocks(32, 2), 1);
        for p_n in 1..600 {
            for threads in 1..5 {
                let tb = tile_blocks(p_n, threads);
                assert!((1..=4).contains(&tb), "{p_n} {threads}");
                assert!(64 * (tb - 1) < p_n, "{p_n} positions, {tb} blocks");
            }
        }
    }

    #[test]
    fn conv2d_matches_direct_convolution() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let map = ErrorMap::from_fn(false, |a, b| ((a * b) | 3) & 0xffff);
        let table = ProductTable::new(&map);
        for &(n, c, h, w, o, k, s, pad) in &[
            (2, 3, 7, 5, 4, 3, 1, 1),
            (1, 2, 8, 8, 3, 3, 2, 1),
            (3, 1, 5, 6, 2, 2, 2, 0),
            (1, 4, 3, 3, 5, 1, 1, 0),
        ] {
            let input: Vec<u8> = (0..n * c * h * w).map(|_| rng.random()).collect();
            let wts: Vec<i8> = (0..o * c * k * k)
                .map(|_| rng.random_range(-127..=127))
                .collect();
            let got = conv2d(&table, &wts, o, k, s, pad, &input, [n, c, h, w]);
            assert_eq!(
                got,
                direct_conv2d(&map, &wts, o, k, s, pad, &input, [n, c, h, w])
            );
        }
    }

    #[test]
    fn table_applies_sign_magnitude() {
        let map = ErrorMap::from_fn(false, |a, b| a * b + 1);
        let t = ProductTable::new(&map);
        assert_eq!(t.prod(3, -5), -16);
        assert_eq!(t.prod(3, 5), 16);
        assert_eq!(t.prod(3, 0), 1);
        let s = ProductTable::exact(true);
        assert_eq!(s.prod(100, -127), -12700);
    }
}
