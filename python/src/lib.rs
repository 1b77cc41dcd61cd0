//! `chaff._chaff`, the extension module of the Python package `chaff`: the [`Model`] class, the
//! `split` function and the `ChaffError` exception. It owns the crossing between Python and
//! chaff (checking Python's arguments, converting decisions to dicts, mapping errors to
//! exceptions, releasing the GIL while Rust works) and nothing else: splitting, labelling and
//! cleaning are chaff's own [`chaff::split::split`], [`Classifier::label`] and
//! [`write::cleaned_text`], so the answers are the binaries' answers. The pure-Python part of
//! the package (python/chaff/) re-exports these and adds `restore` and the DataTrove step.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::{
    PyException, PyFileNotFoundError, PyIsADirectoryError, PyOSError, PyPermissionError,
    PyTypeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use pyo3::{intern, IntoPyObjectExt};
use rayon::prelude::*;
use serde_json::Value;

use chaff::classifier::Classifier;
use chaff::decide::{Decision, Thresholds};
use chaff::document::{Document, Layout};
use chaff::error::Error;
use chaff::split::split as split_paragraphs;
use chaff::{model_file, write};

pyo3::create_exception!(
    chaff,
    ChaffError,
    PyException,
    "A chaff error that is not a Python one: a damaged or foreign model file, for example. The \
     message is the one the chaff binaries print, naming the file and the problem."
);

/// What the built-in model is called in messages, as `chaff-label` calls it.
const BUILT_IN: &str = "<built-in model>";

/// A chaff model: labels the paragraphs of news articles and cleans articles.
///
/// `Model()` loads the built-in model (the one `chaff-label` uses by default); `Model(path)`
/// loads a model file written by `chaff-train`. `keep`, `min_keep_prob` and `uncertain_margin`
/// change the decision rule as `chaff-label`'s flags of the same names do; left out, the
/// model's own are used.
///
/// Raises FileNotFoundError (or another OSError) when the file cannot be read, ChaffError when
/// it is not a chaff model or is damaged, and ValueError for a kept label the model does not
/// have or a threshold outside 0..1. The messages are `chaff-label`'s.
#[pyclass(frozen, module = "chaff", name = "Model")]
struct Model {
    classifier: Classifier,
    /// The model file, or `None` for the built-in model.
    path: Option<PathBuf>,
    /// The decision rule as asked for, for pickling.
    asked: (Option<Vec<String>>, Option<f32>, Option<f32>),
    /// The labels as Python strings, made once and shared by every decision dict.
    label_names: Vec<Py<PyString>>,
}

#[pymethods]
impl Model {
    #[new]
    #[pyo3(signature = (path=None, keep=None, min_keep_prob=None, uncertain_margin=None))]
    fn new(
        py: Python<'_>,
        path: Option<PathBuf>,
        keep: Option<&Bound<'_, PyAny>>,
        min_keep_prob: Option<f32>,
        uncertain_margin: Option<f32>,
    ) -> PyResult<Model> {
        let keep = keep
            .map(|k| {
                strings(k, "keep", "label")?
                    .iter()
                    .map(|s| Ok(s.to_str()?.to_owned()))
                    .collect::<PyResult<Vec<String>>>()
            })
            .transpose()?;
        let model = match &path {
            Some(p) => py.detach(|| model_file::load(p)).map_err(to_py_err)?,
            None => model_file::from_bytes(chaff::DEFAULT_MODEL)
                .map_err(|problem| Error::BadModel {
                    path: BUILT_IN.into(),
                    problem,
                })
                .map_err(to_py_err)?,
        };
        let defaults = model.classifier.thresholds().clone();
        let thresholds = Thresholds {
            min_keep_prob: min_keep_prob.unwrap_or(defaults.min_keep_prob),
            uncertain_margin: uncertain_margin.unwrap_or(defaults.uncertain_margin),
        };
        let kept = keep
            .clone()
            .unwrap_or_else(|| model.classifier.keep().to_vec());
        let classifier = model
            .classifier
            .with_decision(kept, thresholds)
            .map_err(|e| {
                let name = path
                    .as_ref()
                    .map_or("the built-in model".into(), |p| p.display().to_string());
                PyValueError::new_err(format!("{e} (model: {name})"))
            })?;
        let label_names = classifier
            .labels()
            .iter()
            .map(|l| PyString::new(py, l).unbind())
            .collect();
        Ok(Model {
            classifier,
            path,
            asked: (keep, min_keep_prob, uncertain_margin),
            label_names,
        })
    }

    /// The model's labels, sorted (for the built-in model `['ad', 'news', 'related']`).
    #[getter]
    fn labels(&self) -> Vec<String> {
        self.classifier.labels().to_vec()
    }

    /// The labels kept in cleaned text (for the built-in model `['news']`).
    #[getter]
    fn keep(&self) -> Vec<String> {
        self.classifier.keep().to_vec()
    }

    /// The keep threshold: a paragraph is kept when the probability of the kept labels is at
    /// least this (0.35 for the built-in model).
    #[getter]
    fn threshold(&self) -> f64 {
        shortest(self.classifier.thresholds().min_keep_prob)
    }

    /// A paragraph whose kept probability is this close to the threshold is `uncertain`.
    #[getter]
    fn uncertain_margin(&self) -> f64 {
        shortest(self.classifier.thresholds().uncertain_margin)
    }

    /// The model file as given, or None for the built-in model.
    #[getter]
    fn path(&self) -> Option<PathBuf> {
        self.path.clone()
    }

    /// Labels the paragraphs of one article.
    ///
    /// `paragraphs` is a list of str, the article's paragraphs in order: they are scored
    /// together, so each paragraph's neighbours count, as in `chaff-label`. Returns one dict per
    /// paragraph, in order: `label` (str), `probs` (label -> probability), `kept` (bool: does
    /// it stay in the cleaned article) and `uncertain` (bool: is the kept probability close to
    /// the threshold).
    ///
    /// Raises TypeError when `paragraphs` is not a list (or tuple) of str; a single str is
    /// refused (use `clean`, or `chaff.split` first).
    fn label<'py>(
        &self,
        py: Python<'py>,
        paragraphs: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let held = strings(paragraphs, "paragraphs", "paragraph")?;
        let texts = borrow(&held)?;
        let decisions = py.detach(|| self.classifier.label(&texts));
        self.decisions_list(py, &decisions)
    }

    /// Labels many articles at once, in parallel, keeping their order.
    ///
    /// `articles` is a list of articles, each a list of its paragraphs (str) in order. Returns
    /// a list holding, for each article, what `label` returns for it. `threads` is the number
    /// of worker threads: None (the default) uses all cores (or RAYON_NUM_THREADS), 1 works on
    /// the calling thread alone. Python's other threads run while chaff works (the GIL is
    /// released).
    #[pyo3(signature = (articles, threads=None))]
    fn label_many<'py>(
        &self,
        py: Python<'py>,
        articles: &Bound<'py, PyAny>,
        threads: Option<i64>,
    ) -> PyResult<Bound<'py, PyList>> {
        let pool = Workers::new(threads)?;
        let held = nested_strings(articles)?;
        let texts = held
            .iter()
            .map(|a| borrow(a))
            .collect::<PyResult<Vec<_>>>()?;
        let decisions = py.detach(|| pool.map(&texts, |a| self.classifier.label(a)));
        let lists = decisions
            .iter()
            .map(|ds| self.decisions_list(py, ds))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, lists)
    }

    /// Cleans one article: `text` in, its kept paragraphs out, in its own layout.
    ///
    /// The text is split as `chaff-label` splits a text file (on blank lines, or one paragraph
    /// per line when it has none), labelled, and the kept paragraphs joined by a blank line (or
    /// a line break): exactly what `chaff-label --output clean` writes for the same text, less
    /// the final line break it adds after each article.
    fn clean(&self, py: Python<'_>, text: &str) -> String {
        py.detach(|| self.clean_one(text).0)
    }

    /// Cleans many articles at once, in parallel, keeping their order: what `clean` returns for
    /// each. `threads` as in `label_many`.
    #[pyo3(signature = (texts, threads=None))]
    fn clean_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<i64>,
    ) -> PyResult<Vec<String>> {
        let pool = Workers::new(threads)?;
        let held = strings(texts, "texts", "text")?;
        let texts = borrow(&held)?;
        Ok(py.detach(|| pool.map(&texts, |t| self.clean_one(t).0)))
    }

    /// Cleans many articles at once and says what was removed, in parallel, keeping their
    /// order.
    ///
    /// Returns, for each text, a tuple of the cleaned text (as `clean` returns it) and a dict
    /// equal to the `chaff` field that `chaff-label --output jsonl` writes for it: `separator`
    /// (what joins paragraphs in this text's layout), `paragraphs` (each paragraph's `label`,
    /// `kept`, `uncertain` and `probs`, probabilities rounded to 6 decimals) and `removed` (each
    /// removed paragraph's `index`, `label` and `text`), from which `chaff.restore` puts the
    /// removed paragraphs back. `threads` as in `label_many`.
    #[pyo3(signature = (texts, threads=None))]
    fn clean_many_detailed<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<i64>,
    ) -> PyResult<Bound<'py, PyList>> {
        let pool = Workers::new(threads)?;
        let held = strings(texts, "texts", "text")?;
        let texts = borrow(&held)?;
        let cleaned = py.detach(|| {
            pool.map(&texts, |t| {
                let (text, doc, decisions) = self.clean_one(t);
                (
                    text,
                    write::chaff_field(&doc, &decisions, self.classifier.labels()),
                )
            })
        });
        let items = cleaned
            .iter()
            .map(|(text, field)| PyTuple::new(py, [text.into_bound_py_any(py)?, json(py, field)?]))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    fn __repr__(&self) -> String {
        let path = self
            .path
            .as_ref()
            .map_or("None".into(), |p| format!("{:?}", p.display().to_string()));
        format!(
            "Model({path}, labels={:?}, keep={:?}, threshold={})",
            self.classifier.labels(),
            self.classifier.keep(),
            shortest(self.classifier.thresholds().min_keep_prob)
        )
    }

    /// Pickles as the arguments it was made with: unpickling loads the model file again.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let this = slf.get();
        let (keep, min_keep_prob, uncertain_margin) = &this.asked;
        let args = (
            this.path.clone(),
            keep.clone(),
            *min_keep_prob,
            *uncertain_margin,
        );
        (slf.get_type(), args).into_pyobject(py)
    }
}

impl Model {
    /// Splits, labels and cleans one text: the cleaned text, the document and its decisions.
    fn clean_one(&self, text: &str) -> (String, Document, Vec<Decision>) {
        let (paragraphs, layout) = split_paragraphs(text);
        let doc = Document::new("", paragraphs, layout);
        let decisions = self.classifier.label(&doc.paragraph_refs());
        (write::cleaned_text(&doc, &decisions), doc, decisions)
    }

    /// One article's decisions as a list of dicts.
    fn decisions_list<'py>(
        &self,
        py: Python<'py>,
        decisions: &[Decision],
    ) -> PyResult<Bound<'py, PyList>> {
        let dicts = decisions
            .iter()
            .map(|d| self.decision_dict(py, d))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, dicts)
    }

    /// `{"label": …, "probs": {label: p, …}, "kept": …, "uncertain": …}`, the keys in the
    /// order of `chaff-label`'s JSONL. Probabilities are exact (not rounded as in the JSONL).
    fn decision_dict<'py>(&self, py: Python<'py>, d: &Decision) -> PyResult<Bound<'py, PyDict>> {
        let probs = PyDict::new(py);
        for (name, p) in self.label_names.iter().zip(&d.probs) {
            probs.set_item(name.bind(py), f64::from(*p))?;
        }
        let dict = PyDict::new(py);
        dict.set_item(intern!(py, "label"), self.label_names[d.label].bind(py))?;
        dict.set_item(intern!(py, "probs"), probs)?;
        dict.set_item(intern!(py, "kept"), d.kept)?;
        dict.set_item(intern!(py, "uncertain"), d.uncertain)?;
        Ok(dict)
    }
}

/// Splits a text into paragraphs as chaff does: on blank lines when it has one (paragraphs may
/// then hold single line breaks), otherwise one paragraph per line; paragraphs are trimmed and
/// empty ones dropped. Returns the paragraphs and the separator that joins them in this layout
/// (`"\n\n"` or `"\n"`).
#[pyfunction]
fn split(text: &str) -> (Vec<String>, &'static str) {
    let (paragraphs, layout): (Vec<String>, Layout) = split_paragraphs(text);
    (paragraphs, layout.separator())
}

/// The worker threads of one call: the calling thread alone, rayon's global pool, or a pool of
/// a given size (made once per size and kept).
enum Workers {
    Caller,
    Global,
    Pool(Arc<rayon::ThreadPool>),
}

impl Workers {
    fn new(threads: Option<i64>) -> PyResult<Workers> {
        let n = match threads {
            None => return Ok(Workers::Global),
            Some(1) => return Ok(Workers::Caller),
            Some(n) if n < 1 => {
                return Err(PyValueError::new_err(format!(
                    "threads must be at least 1 (or None for all cores), not {n}"
                )))
            }
            Some(n) => usize::try_from(n)
                .map_err(|_| PyValueError::new_err(format!("threads: {n} is too many")))?,
        };
        static POOLS: Mutex<BTreeMap<usize, Arc<rayon::ThreadPool>>> = Mutex::new(BTreeMap::new());
        // A panic while the lock was held cannot leave the map half-changed: take it anyway.
        let mut pools = POOLS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(pool) = pools.get(&n) {
            return Ok(Workers::Pool(pool.clone()));
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map(Arc::new)
            .map_err(|e| ChaffError::new_err(format!("cannot set up {n} worker threads: {e}")))?;
        pools.insert(n, pool.clone());
        Ok(Workers::Pool(pool))
    }

    /// `f` over `items`, in order.
    fn map<I: Sync, T: Send>(&self, items: &[I], f: impl Fn(&I) -> T + Sync + Send) -> Vec<T> {
        match self {
            Workers::Caller => items.iter().map(f).collect(),
            Workers::Global => items.par_iter().map(f).collect(),
            Workers::Pool(pool) => pool.install(|| items.par_iter().map(f).collect()),
        }
    }
}

/// The items of a list or tuple of str, held so that their text can be borrowed while the GIL
/// is released. `what` names the argument and `item` one of its items in messages.
fn strings<'py>(
    obj: &Bound<'py, PyAny>,
    what: &str,
    item: &str,
) -> PyResult<Vec<Bound<'py, PyString>>> {
    // What to do instead when given one str, which is a sequence of characters.
    let instead = match item {
        "paragraph" => "; to label a whole text, split it first with chaff.split(text), or clean it with clean(text)",
        "text" => "; to clean one text, use clean(text)",
        _ => "",
    };
    let items = sequence(
        obj,
        what,
        &format!("a list of str (one per {item})"),
        instead,
    )?;
    items
        .into_iter()
        .enumerate()
        .map(|(i, x)| {
            x.cast_into::<PyString>().map_err(|e| {
                PyTypeError::new_err(format!(
                    "{what}[{i}] is {}, not str",
                    type_name(e.into_inner().as_any())
                ))
            })
        })
        .collect()
}

/// The articles of a list (or tuple) of lists of str.
fn nested_strings<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Vec<Vec<Bound<'py, PyString>>>> {
    let articles = sequence(
        obj,
        "articles",
        "a list of articles, each a list of str",
        "; to label one article, use label(paragraphs)",
    )?;
    articles
        .iter()
        .enumerate()
        .map(|(i, a)| strings(a, &format!("articles[{i}]"), "paragraph"))
        .collect()
}

/// The items of a list or tuple; a str (a sequence of characters, where `instead` says what to
/// do) or anything else is refused.
fn sequence<'py>(
    obj: &Bound<'py, PyAny>,
    what: &str,
    expected: &str,
    instead: &str,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    if let Ok(list) = obj.cast::<PyList>() {
        return Ok(list.iter().collect());
    }
    if let Ok(tuple) = obj.cast::<PyTuple>() {
        return Ok(tuple.iter().collect());
    }
    let hint = if obj.is_instance_of::<PyString>() {
        instead
    } else {
        ""
    };
    Err(PyTypeError::new_err(format!(
        "{what} must be {expected}, not {}{hint}",
        type_name(obj)
    )))
}

/// The UTF-8 text of each string. Python keeps it alive as long as the string, which `held`
/// holds a reference to, so it may be read without the GIL.
fn borrow<'a>(held: &'a [Bound<'_, PyString>]) -> PyResult<Vec<&'a str>> {
    held.iter().map(|s| s.to_str()).collect()
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "an object".into(), |n| n.to_string())
}

/// An f32 as the f64 with the same shortest decimal form (0.35, not 0.3499999940395355).
fn shortest(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

/// A chaff error as the Python exception a Python programmer expects: an OSError subclass for
/// I/O, ValueError for a bad parameter, ChaffError otherwise; the message is chaff's.
fn to_py_err(e: Error) -> PyErr {
    let message = e.to_string();
    match &e {
        Error::Io { error, .. } => match error.kind() {
            std::io::ErrorKind::NotFound => PyFileNotFoundError::new_err(message),
            std::io::ErrorKind::PermissionDenied => PyPermissionError::new_err(message),
            std::io::ErrorKind::IsADirectory => PyIsADirectoryError::new_err(message),
            _ => PyOSError::new_err(message),
        },
        Error::BadParameter { .. } | Error::UnknownKeepLabel { .. } | Error::NothingKept => {
            PyValueError::new_err(message)
        }
        _ => ChaffError::new_err(message),
    }
}

/// A JSON value as Python objects (objects keep their key order).
fn json<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into_bound_py_any(py)?,
            (None, Some(i)) => i.into_bound_py_any(py)?,
            _ => n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)?,
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => PyList::new(
            py,
            items
                .iter()
                .map(|v| json(py, v))
                .collect::<PyResult<Vec<_>>>()?,
        )?
        .into_any(),
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, json(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// The extension module `chaff._chaff`; import `chaff` instead.
#[pymodule]
fn _chaff(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Model>()?;
    m.add_function(wrap_pyfunction!(split, m)?)?;
    m.add("ChaffError", m.py().get_type::<ChaffError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
