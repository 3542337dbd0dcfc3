//! Specs in several files: the entry document with every `$ref` to another
//! file brought into it, so the rest of the crate sees one tree.
//!
//! A referenced node is copied into the section of the entry its use calls
//! for (`#/definitions`, `#/components/schemas`, ...) and the `$ref` is
//! rewritten to point there; a path item is copied in place. Every copy is
//! recorded in a [`Provenance`], so a diagnostic about the bundled tree
//! still names the file and pointer the user wrote.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, Location, join, unescape_segment};
use crate::load::{Document, LoadError};
use crate::provenance::Provenance;

/// Where the files of a spec are read from: the disk, or a git revision
/// (the change review's base).
pub trait Source {
    /// The text of `relative` (to the workspace root), `None` when there is
    /// no such file.
    fn read(&self, relative: &str) -> Result<Option<String>, LoadError>;

    /// Whether `relative` (already lexically inside `folder`, both relative
    /// to the workspace root) is still inside `folder` once symbolic links
    /// are followed. A source without links (a git revision) keeps the
    /// default.
    fn within(&self, folder: &str, relative: &str) -> bool {
        let _ = (folder, relative);
        true
    }

    /// When `relative` is a folder, the entry document in it (relative to
    /// the workspace root); `None` when it is not a folder.
    fn entry_of_folder(&self, relative: &str) -> Result<Option<String>, LoadError> {
        let _ = relative;
        Ok(None)
    }
}

/// Files under a workspace root.
pub struct Disk<'a>(pub &'a Path);

impl Source for Disk<'_> {
    fn read(&self, relative: &str) -> Result<Option<String>, LoadError> {
        let path = self.0.join(relative);
        if !path.is_file() {
            return Ok(None);
        }
        // A link out of the workspace is refused even when no sandbox asked.
        if !self.within("", relative) {
            return Err(LoadError::Io {
                path,
                source: std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    "a symbolic link leads outside the workspace",
                ),
            });
        }
        crate::load::read_text(self.0, relative).map(Some)
    }

    /// Both paths canonicalised (every link followed), then compared by
    /// whole components. A path that cannot be resolved (it does not exist)
    /// passes: reading it then says it is missing.
    fn entry_of_folder(&self, relative: &str) -> Result<Option<String>, LoadError> {
        if !self.0.join(relative).is_dir() {
            return Ok(None);
        }
        find_entry(self.0, relative)
            .map(Some)
            .map_err(|d| LoadError::Invalid(vec![d]))
    }

    fn within(&self, folder: &str, relative: &str) -> bool {
        let folder = self.0.join(folder).canonicalize();
        let file = self.0.join(relative).canonicalize();
        match (folder, file) {
            (Ok(folder), Ok(file)) => file.starts_with(folder),
            _ => true,
        }
    }
}

/// One tree made of a spec's files.
#[derive(Debug, Clone)]
pub struct Bundled {
    /// The entry document with every other file's referenced nodes in it.
    pub json: Value,
    /// Pointers of `json` -> the file and pointer they were written at
    /// (nodes of the entry document are where they were).
    pub moves: Provenance,
    /// Every file read, the entry included, by name.
    pub documents: BTreeMap<String, Document>,
}

/// `entry` (named relative to the workspace root) with every `$ref` to
/// another file brought in. No reference may leave `sandbox` (a folder
/// relative to the workspace root) or name a URL. Every problem found is
/// returned, each located at the `$ref` that has it.
pub fn bundle(
    source: &dyn Source,
    sandbox: &str,
    entry: Document,
) -> Result<Bundled, Vec<Diagnostic>> {
    let entry_name = normalise(&entry.name).unwrap_or_else(|| entry.name.clone());
    let Some(sandbox) = normalise(sandbox).filter(|s| inside(s, &entry_name)) else {
        return Err(vec![Diagnostic::new(
            &entry.name,
            Location::File,
            format!(
                "the spec is not inside its folder `{sandbox}`: name a folder of the workspace that holds the entry file"
            ),
        )]);
    };
    let mut json = entry.json.clone();
    let mut bundler = Bundler {
        source,
        swagger: entry.json.get("swagger").is_some(),
        sandbox,
        entry: entry_name.clone(),
        documents: BTreeMap::from([(entry_name.clone(), entry)]),
        invalid: HashMap::new(),
        imports: HashMap::new(),
        added: BTreeMap::new(),
        inlining: Vec::new(),
        moves: Provenance::default(),
        errors: Vec::new(),
    };
    bundler.reserve_slots();
    let root = Here {
        file: entry_name,
        at: String::new(),
        out: String::new(),
    };
    bundler.value(&mut json, &root, Kind::Schema);
    bundler.insert_added(&mut json);
    let Bundler {
        mut errors,
        moves,
        documents,
        ..
    } = bundler;
    if errors.is_empty() {
        Ok(Bundled {
            json,
            moves,
            documents,
        })
    } else {
        errors.sort();
        errors.dedup();
        Err(errors)
    }
}

/// What a node is, which decides the section a `$ref` in it is brought
/// into and how its keys are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Schema,
    Parameter,
    Response,
    RequestBody,
    Header,
    Example,
    Link,
    Callback,
    PathItem,
    SecurityScheme,
    MediaType,
}

/// How the value of one key of an object is read.
enum Role {
    /// Data (examples, defaults, extensions): a `$ref` in it is text.
    Data,
    /// A node of this kind (a list: items of this kind).
    Node(Kind),
    /// A map of names chosen by the author to nodes of this kind: a key
    /// called `$ref` there is a name.
    Names(Kind),
}

/// The role of `key`'s `value` in an object of kind `parent`.
fn role(key: &str, value: &Value, parent: Kind, swagger: bool) -> Role {
    let data = key.starts_with("x-")
        || matches!(key, "example" | "default" | "enum" | "const")
        || (parent == Kind::Example && key == "value")
        // A link's parameters and body are runtime expressions or data.
        || (parent == Kind::Link && matches!(key, "parameters" | "requestBody"))
        // 2.0 response examples and 3.1 schema examples are data.
        || (key == "examples" && (swagger || value.is_array()));
    if data {
        return Role::Data;
    }
    match key {
        "properties" | "patternProperties" | "definitions" | "$defs" | "schemas"
        | "dependentSchemas" | "encoding" => Role::Names(Kind::Schema),
        "parameters" if value.is_array() => Role::Node(Kind::Parameter),
        "parameters" => Role::Names(Kind::Parameter),
        "responses" => Role::Names(Kind::Response),
        "requestBodies" => Role::Names(Kind::RequestBody),
        "requestBody" => Role::Node(Kind::RequestBody),
        "headers" => Role::Names(Kind::Header),
        "examples" => Role::Names(Kind::Example),
        "links" => Role::Names(Kind::Link),
        "callbacks" => Role::Names(Kind::Callback),
        "securitySchemes" => Role::Names(Kind::SecurityScheme),
        "paths" | "webhooks" | "pathItems" => Role::Names(Kind::PathItem),
        "content" => Role::Names(Kind::MediaType),
        _ => Role::Node(Kind::Schema),
    }
}

/// A place being walked: the file and pointer it was written at, and the
/// pointer it has in the bundled tree (pointers without the leading `#`).
#[derive(Debug, Clone)]
struct Here {
    file: String,
    at: String,
    out: String,
}

impl Here {
    fn child(&self, segment: &str) -> Self {
        Self {
            file: self.file.clone(),
            at: join(&self.at, segment),
            out: join(&self.out, segment),
        }
    }
}

/// A node brought in once: where it is in the bundled tree, and whether it
/// is there yet (a section entry of the entry that only refers to a file
/// is filled in place when the walk reaches it).
struct Import {
    local: String,
    done: bool,
}

/// A node of a file: (file, pointer without `#`).
type Target = (String, String);

/// Why a file could not be read.
enum Failure {
    Missing,
    Outside,
    Io(String),
    Invalid(Diagnostic),
}

struct Bundler<'a> {
    source: &'a dyn Source,
    swagger: bool,
    sandbox: String,
    entry: String,
    documents: BTreeMap<String, Document>,
    /// Files that did not parse, with why (reported once).
    invalid: HashMap<String, Diagnostic>,
    /// (file, pointer, section) -> where it is in the bundled tree.
    imports: HashMap<(String, String, &'static str), Import>,
    /// Section pointer -> name -> node, inserted into the tree at the end.
    added: BTreeMap<&'static str, BTreeMap<String, Value>>,
    /// Path items being copied in, to stop one that includes itself.
    inlining: Vec<Target>,
    moves: Provenance,
    errors: Vec<Diagnostic>,
}

impl Bundler<'_> {
    /// The section of the bundled tree a referenced node of `kind` goes
    /// to; `None` for a path item, which is copied in place.
    fn section(&self, kind: Kind) -> Option<&'static str> {
        if self.swagger {
            return match kind {
                Kind::PathItem => None,
                Kind::Parameter => Some("/parameters"),
                Kind::Response => Some("/responses"),
                _ => Some("/definitions"),
            };
        }
        Some(match kind {
            Kind::PathItem => return None,
            Kind::Schema | Kind::MediaType => "/components/schemas",
            Kind::Parameter => "/components/parameters",
            Kind::Response => "/components/responses",
            Kind::RequestBody => "/components/requestBodies",
            Kind::Header => "/components/headers",
            Kind::Example => "/components/examples",
            Kind::Link => "/components/links",
            Kind::Callback => "/components/callbacks",
            Kind::SecurityScheme => "/components/securitySchemes",
        })
    }

    /// The sections of the entry and the kind of their entries.
    fn sections(&self) -> Vec<(&'static str, Kind)> {
        let kinds: &[Kind] = if self.swagger {
            &[Kind::Schema, Kind::Parameter, Kind::Response]
        } else {
            &[
                Kind::Schema,
                Kind::Parameter,
                Kind::Response,
                Kind::RequestBody,
                Kind::Header,
                Kind::Example,
                Kind::Link,
                Kind::Callback,
                Kind::SecurityScheme,
            ]
        };
        kinds
            .iter()
            .filter_map(|k| self.section(*k).map(|s| (s, *k)))
            .collect()
    }

    /// A section entry of the entry that only refers to another file
    /// (`Pet: {$ref: Pet.yaml}`) is where that file's node goes, under the
    /// name the author gave it: registered before the walk, so that every
    /// reference to the file, found earlier or later, points there.
    fn reserve_slots(&mut self) {
        let entry = &self.documents[&self.entry].json;
        let mut slots = Vec::new();
        for (section, _) in self.sections() {
            let Some(Value::Object(map)) = entry.pointer(section) else {
                continue;
            };
            for (name, node) in map {
                let Some(reference) = only_ref(node) else {
                    continue;
                };
                if let Ok((file, pointer)) = self.resolve(&self.entry, reference)
                    && file != self.entry
                {
                    slots.push(((file, pointer, section), join(section, name)));
                }
            }
        }
        for (key, local) in slots {
            self.imports
                .entry(key)
                .or_insert(Import { local, done: false });
        }
    }

    /// Walks a node of `kind`: its `$ref`, then its keys.
    fn value(&mut self, node: &mut Value, here: &Here, kind: Kind) {
        match node {
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    self.value(item, &here.child(&i.to_string()), kind);
                }
            }
            Value::Object(map) => {
                let reference = map.get("$ref").and_then(Value::as_str).map(str::to_owned);
                if kind == Kind::Callback && reference.is_none() {
                    // A callback maps expressions to path items.
                    self.names(map, here, Kind::PathItem);
                    return;
                }
                for (key, child) in map.iter_mut().filter(|(k, _)| *k != "$ref") {
                    let here = here.child(key);
                    match role(key, child, kind, self.swagger) {
                        Role::Data => {}
                        Role::Node(kind) => self.value(child, &here, kind),
                        Role::Names(kind) => {
                            if let Value::Object(names) = child {
                                self.names(names, &here, kind);
                            }
                        }
                    }
                }
                if let Some(reference) = reference {
                    self.reference(node, here, kind, &reference);
                }
            }
            _ => {}
        }
    }

    /// Walks a map of names to nodes of `kind`.
    fn names(&mut self, map: &mut Map<String, Value>, here: &Here, kind: Kind) {
        for (name, child) in map.iter_mut() {
            self.value(child, &here.child(name), kind);
        }
    }

    /// The `$ref` of `node` (a node of `kind`, its other keys walked).
    fn reference(&mut self, node: &mut Value, here: &Here, kind: Kind, reference: &str) {
        // The entry's own local references stay as written (the linter
        // checks them).
        if here.file == self.entry && reference.starts_with('#') {
            return;
        }
        let (file, pointer) = match self.resolve(&here.file, reference) {
            Ok(target) => target,
            Err(message) => return self.error(here, reference, &message),
        };
        if file == self.entry && kind != Kind::PathItem {
            return self.point_into_entry(node, here, reference, &pointer);
        }
        if !self.readable(here, reference, &file) {
            return;
        }
        if self.documents[&file].json.pointer(&pointer).is_none() {
            let message = format!("points at nothing in `{file}`: correct the pointer after `#`");
            return self.error(here, reference, &message);
        }
        if let Some(chain) = self.cycle(here, (file.clone(), pointer.clone())) {
            let message = format!(
                "starts a chain of references that comes back without reaching any content ({chain}): make one of them a schema"
            );
            return self.error(here, reference, &message);
        }
        match self.section(kind) {
            None => self.inline(node, here, reference, (file, pointer)),
            Some(section) => self.import(node, here, kind, section, (file, pointer)),
        }
    }

    /// A reference from another file into the entry: the node is already
    /// in the tree.
    fn point_into_entry(&mut self, node: &mut Value, here: &Here, reference: &str, pointer: &str) {
        if self.documents[&self.entry].json.pointer(pointer).is_none() {
            let message = format!(
                "points at nothing in `{}`: correct the pointer after `#`",
                self.entry
            );
            return self.error(here, reference, &message);
        }
        node["$ref"] = Value::String(format!("#{pointer}"));
    }

    /// Copies the node at `target` into `section` once (or fills the entry's
    /// slot reserved for it) and points `node`'s `$ref` at the copy.
    fn import(
        &mut self,
        node: &mut Value,
        here: &Here,
        kind: Kind,
        section: &'static str,
        target: Target,
    ) {
        let key = (target.0.clone(), target.1.clone(), section);
        if let Some(import) = self.imports.get_mut(&key) {
            if !import.done && import.local == here.out {
                import.done = true;
                *node = self.copy(&target, &here.out, kind);
            } else {
                node["$ref"] = Value::String(format!("#{}", import.local));
            }
            return;
        }
        let name = self.free_name(section, &target);
        let local = join(section, &name);
        // Registered before the copy is walked: a schema may refer to itself.
        self.imports.insert(
            key,
            Import {
                local: local.clone(),
                done: true,
            },
        );
        let names = self.added.entry(section).or_default();
        names.insert(name.clone(), Value::Null);
        let copy = self.copy(&target, &local, kind);
        self.added.entry(section).or_default().insert(name, copy);
        node["$ref"] = Value::String(format!("#{local}"));
    }

    /// The node at `target`, its references resolved from its own file,
    /// recorded as now being at `out`.
    fn copy(&mut self, target: &Target, out: &str, kind: Kind) -> Value {
        let (file, pointer) = target;
        let mut copy = self.documents[file]
            .json
            .pointer(pointer)
            .cloned()
            .unwrap_or(Value::Null);
        let here = Here {
            file: file.clone(),
            at: pointer.clone(),
            out: out.to_owned(),
        };
        self.value(&mut copy, &here, kind);
        self.record(out, file, pointer);
        copy
    }

    /// Records that what is now at `to` was written at `from` in `file`
    /// (the entry's nodes as the stage's own input).
    fn record(&mut self, to: &str, file: &str, from: &str) {
        let (to, from) = (format!("#{to}"), format!("#{from}"));
        if file == self.entry {
            self.moves.moved(to, from);
        } else {
            self.moves.moved_from_file(to, file, from);
        }
    }

    /// Copies a path item in place of `node`; keys written beside the
    /// `$ref` are kept over the copied ones.
    fn inline(&mut self, node: &mut Value, here: &Here, reference: &str, target: Target) {
        if self.inlining.contains(&target) {
            let message = "brings in a path item that includes itself: write the path item out";
            return self.error(here, reference, message);
        }
        self.inlining.push(target.clone());
        let mut copy = self.copy(&target, &here.out, Kind::PathItem);
        self.inlining.pop();
        if let (Value::Object(copy), Value::Object(written)) = (&mut copy, &mut *node) {
            for (key, value) in std::mem::take(written) {
                if key == "$ref" {
                    continue;
                }
                let (to, from) = (join(&here.out, &key), join(&here.at, &key));
                self.record(&to, &here.file, &from);
                copy.insert(key, value);
            }
        }
        *node = copy;
    }

    /// A name for `target` not yet taken in `section`: its pointer's last
    /// segment, or its file's stem, with `2`, `3`, ... on a collision.
    fn free_name(&self, section: &str, target: &Target) -> String {
        let (file, pointer) = target;
        let last = match pointer.rsplit_once('/') {
            Some((_, segment)) => unescape_segment(segment),
            None => {
                let base = file.rsplit('/').next().unwrap_or(file);
                base.rsplit_once('.')
                    .map_or(base, |(stem, _)| stem)
                    .to_owned()
            }
        };
        // Component names are `[A-Za-z0-9._-]+` (OpenAPI 3.0).
        let mut base: String = last
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if base.is_empty() {
            base = "Imported".to_owned();
        }
        let entry = &self.documents[&self.entry].json;
        let taken = |name: &str| {
            entry.pointer(&join(section, name)).is_some()
                || self
                    .added
                    .get(section)
                    .is_some_and(|m| m.contains_key(name))
        };
        let mut name = base.clone();
        let mut n = 2;
        while taken(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        name
    }

    /// The file (normalised, relative to the workspace root) and pointer
    /// `reference` names, written in `file`; or why it may not be followed.
    fn resolve(&self, file: &str, reference: &str) -> Result<Target, String> {
        if let Some(scheme) = scheme(reference) {
            return Err(
                if scheme.eq_ignore_ascii_case("file") || scheme.len() == 1 {
                    self.absolute()
                } else {
                    "is a URL, and no build reaches the network: copy the document into the repository beside the spec and refer to it by a relative path".to_owned()
                },
            );
        }
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let pointer = percent_decode(fragment);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(
                "has no JSON pointer after `#`: write `file.yaml#/path/to/node` (or no `#` for the whole file)"
                    .to_owned(),
            );
        }
        if path.is_empty() {
            return Ok((file.to_owned(), pointer));
        }
        if path.starts_with('/') || path.starts_with('\\') {
            return Err(self.absolute());
        }
        let directory = file.rsplit_once('/').map_or("", |(d, _)| d);
        let joined = format!("{directory}/{}", percent_decode(path));
        match normalise(&joined) {
            Some(target) if inside(&self.sandbox, &target) => Ok((target, pointer)),
            _ => Err(format!(
                "leaves the spec's folder `{}`: copy the file into that folder and refer to it by a relative path",
                self.sandbox
            )),
        }
    }

    fn absolute(&self) -> String {
        format!(
            "is an absolute path, which no other checkout has: copy the file into the spec's folder `{}` and refer to it by a relative path",
            self.sandbox
        )
    }

    /// Reads `file` once; whether it can be used. A file that cannot is
    /// reported at the `$ref` that names it (a parse error where it is).
    fn readable(&mut self, here: &Here, reference: &str, file: &str) -> bool {
        let message = match self.load(file) {
            Ok(()) => return true,
            Err(Failure::Missing) => format!(
                "names `{file}`, which does not exist: correct the path (it is relative to the folder of the file it is written in)"
            ),
            Err(Failure::Outside) => format!(
                "names `{file}`, a symbolic link (or in a linked folder) that leads outside the spec's folder `{}`: copy the file into that folder",
                self.sandbox
            ),
            Err(Failure::Io(why)) => format!("names `{file}`, which cannot be read: {why}"),
            Err(Failure::Invalid(diagnostic)) => {
                self.errors.push(diagnostic);
                return false;
            }
        };
        self.error(here, reference, &message);
        false
    }

    /// Reads and parses `file` into `documents`, once.
    fn load(&mut self, file: &str) -> Result<(), Failure> {
        if self.documents.contains_key(file) {
            return Ok(());
        }
        if let Some(diagnostic) = self.invalid.get(file) {
            return Err(Failure::Invalid(diagnostic.clone()));
        }
        if !self.source.within(&self.sandbox, file) {
            return Err(Failure::Outside);
        }
        let parsed = match self.source.read(file) {
            Ok(Some(text)) => Document::parse(file, &text),
            Ok(None) => return Err(Failure::Missing),
            Err(LoadError::Invalid(mut diagnostics)) if !diagnostics.is_empty() => {
                Err(diagnostics.swap_remove(0))
            }
            Err(LoadError::Invalid(_)) => return Err(Failure::Missing),
            Err(LoadError::Io { source, .. }) => return Err(Failure::Io(source.to_string())),
        };
        match parsed {
            Ok(document) => {
                self.documents.insert(file.to_owned(), document);
                Ok(())
            }
            Err(diagnostic) => {
                self.invalid.insert(file.to_owned(), diagnostic.clone());
                Err(Failure::Invalid(diagnostic))
            }
        }
    }

    /// The chain of nodes that are only a `$ref`, from the node at `here`
    /// through `next`, when it comes back to one of them. A chain that ends anywhere else (content, or a
    /// broken reference reported where it is written) is `None`.
    fn cycle(&mut self, here: &Here, mut next: Target) -> Option<String> {
        let mut chain: Vec<Target> = vec![(here.file.clone(), here.at.clone())];
        loop {
            if let Some(first) = chain.iter().position(|t| *t == next) {
                chain.push(next);
                // From the node referred to, or from the `$ref` itself when
                // the chain comes back to it.
                let shown: Vec<String> =
                    chain[first.min(1)..].iter().map(|t| self.show(t)).collect();
                return Some(shown.join(" -> "));
            }
            self.load(&next.0).ok()?;
            let node = self.documents[&next.0].json.pointer(&next.1)?;
            let reference = node.get("$ref")?.as_str()?.to_owned();
            let target = self.resolve(&next.0, &reference).ok()?;
            chain.push(std::mem::replace(&mut next, target));
        }
    }

    /// A node in a message: its file relative to the spec's folder, and its
    /// pointer unless it is the whole file.
    fn show(&self, (file, pointer): &Target) -> String {
        let file = match file.strip_prefix(&self.sandbox) {
            Some(rest) if !self.sandbox.is_empty() => rest.trim_start_matches('/'),
            _ => file,
        };
        if pointer.is_empty() {
            file.to_owned()
        } else {
            format!("{file}#{pointer}")
        }
    }

    /// A problem with the `$ref` of the node at `here`, located at its key.
    fn error(&mut self, here: &Here, reference: &str, message: &str) {
        let key = join(&here.at, "$ref");
        let location = match self
            .documents
            .get(&here.file)
            .and_then(|d| d.position(&key))
        {
            Some((line, column)) => Location::LineColumn { line, column },
            None => Location::Pointer(format!("#{key}")),
        };
        self.errors.push(Diagnostic::new(
            &here.file,
            location,
            format!("`$ref` at #{}: `{reference}` {message}", here.at),
        ));
    }

    /// Puts the copied nodes into their sections of `json`.
    fn insert_added(&mut self, json: &mut Value) {
        for (section, names) in std::mem::take(&mut self.added) {
            let Some(map) = section_map(json, section) else {
                let message = format!(
                    "`#{section}` is not a map, so the nodes other files refer to cannot be put there: make it a map of names"
                );
                self.errors.push(Diagnostic::at_pointer(
                    &self.entry,
                    &format!("#{section}"),
                    message,
                ));
                continue;
            };
            map.extend(names);
        }
    }
}

/// The map at `section` (`/components/schemas`) of `json`, made if missing;
/// `None` when something else is there.
fn section_map<'a>(json: &'a mut Value, section: &str) -> Option<&'a mut Map<String, Value>> {
    let mut node = json;
    for segment in section.split('/').skip(1) {
        let map = node.as_object_mut()?;
        node = map
            .entry(segment.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    node.as_object_mut()
}

/// The `$ref` of a node that has nothing else.
fn only_ref(node: &Value) -> Option<&str> {
    let map = node.as_object()?;
    if map.len() != 1 {
        return None;
    }
    map.get("$ref")?.as_str()
}

/// The URL scheme `reference` starts with (`https`, `file`, a drive
/// letter), if any.
fn scheme(reference: &str) -> Option<&str> {
    let (scheme, _) = reference.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// `%XX` escapes decoded (a reference is a URI; a pointer in a fragment is
/// percent-encoded).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `path` with `.` and `..` segments resolved; `None` when it climbs above
/// its start (the workspace root).
fn normalise(path: &str) -> Option<String> {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            _ => segments.push(segment),
        }
    }
    Some(segments.join("/"))
}

/// Whether the normalised `path` is in the normalised folder `folder`.
fn inside(folder: &str, path: &str) -> bool {
    folder.is_empty()
        || path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The entry document of a spec given as a folder (relative to the
/// workspace root): its one YAML or JSON file (searched recursively, in
/// name order, hidden folders and links skipped) with an `openapi` or
/// `swagger` key at the top level, named relative to the workspace root.
pub fn find_entry(source_root: &Path, folder: &str) -> Result<String, Diagnostic> {
    let folder = folder.trim_end_matches('/');
    let directory = source_root.join(folder);
    if !directory.is_dir() {
        return Err(Diagnostic::new(
            folder,
            Location::File,
            "is not a folder: name the spec's entry file, or the folder that holds it",
        ));
    }
    let mut files = Vec::new();
    list(&directory, "", &mut files);
    pick_entry(folder, files, |file| {
        std::fs::read_to_string(directory.join(file))
            .is_ok_and(|text| declares_version(file, &text))
    })
}

/// The rule of [`find_entry`] over files listed some other way (a git
/// revision's): of `files` (relative to `folder`), the YAML and JSON ones
/// outside hidden folders, exactly one of which must be an OpenAPI
/// document (`is_document`: it has an `openapi` or `swagger` key, see
/// [`declares_version`]).
pub fn pick_entry(
    folder: &str,
    files: Vec<String>,
    is_document: impl Fn(&str) -> bool,
) -> Result<String, Diagnostic> {
    let folder = folder.trim_end_matches('/');
    let mut files: Vec<String> = files.into_iter().filter(|f| is_candidate(f)).collect();
    files.sort();
    let entries: Vec<&String> = files.iter().filter(|f| is_document(f)).collect();
    match entries.as_slice() {
        [one] => Ok(format!("{folder}/{one}")),
        [] => Err(Diagnostic::new(
            folder,
            Location::File,
            format!(
                "no file here is an OpenAPI document: none of its {} YAML or JSON files{} has an `openapi` or `swagger` key at the top level; put the spec's entry document in the folder, or name the entry file instead of the folder",
                files.len(),
                listed(&files)
            ),
        )),
        several => Err(Diagnostic::new(
            folder,
            Location::File,
            format!(
                "{} files here are OpenAPI documents ({}): name the entry file instead of the folder",
                several.len(),
                several
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// A YAML or JSON file, not in a hidden folder (`/`-separated, relative to
/// the spec's folder).
fn is_candidate(relative: &str) -> bool {
    let mut parts: Vec<&str> = relative.split('/').collect();
    let name = parts.pop().unwrap_or_default();
    !parts.iter().any(|p| p.starts_with('.')) && crate::load::is_document_name(name)
}

/// ` (a, b, c)` for a few files, nothing for none or many.
fn listed(files: &[String]) -> String {
    if files.is_empty() || files.len() > 10 {
        return String::new();
    }
    let names: Vec<String> = files.iter().map(|f| format!("`{f}`")).collect();
    format!(" ({})", names.join(", "))
}

/// The files under `directory` (relative to it, `/`-separated), hidden
/// folders skipped, not following links (no loops, nothing outside).
fn list(directory: &Path, prefix: &str, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let relative = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if kind.is_dir() && !name.starts_with('.') {
            list(&entry.path(), &relative, out);
        } else if kind.is_file() {
            out.push(relative);
        }
    }
}

/// Whether the text of the file `name` has an `openapi` or `swagger` key at
/// its top level (a file that does not parse has not).
pub fn declares_version(name: &str, text: &str) -> bool {
    // serde_yaml's own value: a `200:` key is no error there.
    let top: Option<serde_yaml::Value> = if name.ends_with(".json") {
        serde_json::from_str(text).ok()
    } else {
        serde_yaml::from_str(text).ok()
    };
    top.is_some_and(|t| t.get("openapi").is_some() || t.get("swagger").is_some())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Files held in memory, named relative to the workspace root.
    struct Files(BTreeMap<&'static str, &'static str>);

    impl Source for Files {
        fn read(&self, relative: &str) -> Result<Option<String>, LoadError> {
            Ok(self.0.get(relative).map(|t| (*t).to_owned()))
        }
    }

    /// Bundles `s/spec.yaml` of `files` in the folder `s`.
    fn run(files: &[(&'static str, &'static str)]) -> Result<Bundled, Vec<String>> {
        let files = Files(files.iter().copied().collect());
        let entry = Document::parse("s/spec.yaml", files.0["s/spec.yaml"]).unwrap();
        bundle(&files, "s", entry).map_err(|e| e.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn paths_are_normalised_lexically() {
        assert_eq!(normalise("a/./b/../c//d"), Some("a/c/d".to_owned()));
        assert_eq!(normalise("a/../.."), None);
        assert_eq!(normalise("./"), Some(String::new()));
        assert!(inside("s", "s/a.yaml") && inside("s", "s") && inside("", "x"));
        assert!(!inside("s", "spec/a.yaml") && !inside("s/a", "s"));
    }

    #[test]
    fn schemes_and_escapes_are_read() {
        assert_eq!(scheme("https://x/y.yaml"), Some("https"));
        assert_eq!(scheme("C:\\x.yaml"), Some("C"));
        assert_eq!(scheme("a.yaml#/b:c"), None);
        assert_eq!(scheme("#/paths/~1a:b"), None);
        assert_eq!(percent_decode("My%20Pet.yaml%zz%4"), "My Pet.yaml%zz%4");
    }

    #[test]
    fn a_spec_without_file_references_comes_back_as_it_was() {
        let text =
            "swagger: '2.0'\npaths: {}\ndefinitions:\n  A: {$ref: '#/definitions/Nowhere'}\n";
        let bundled = run(&[("s/spec.yaml", text)]).unwrap();
        assert_eq!(
            bundled.json,
            json!({"swagger": "2.0", "paths": {}, "definitions": {"A": {"$ref": "#/definitions/Nowhere"}}})
        );
        assert!(bundled.moves.is_empty());
        assert_eq!(
            bundled.documents.keys().collect::<Vec<_>>(),
            ["s/spec.yaml"]
        );
    }

    /// A name already taken by another node gets a number; the same node
    /// referred to twice, however spelled, is brought in once.
    #[test]
    fn names_collide_and_nodes_are_reused() {
        let spec = "swagger: '2.0'\ndefinitions:\n  Pet: {type: string}\n  A: {items: {$ref: 'x/Pet.v2.yaml'}}\n  B: {items: {$ref: './x/../x/Pet.v2.yaml#'}}\n  C: {items: {$ref: 'x/more.yaml#/Pet'}}\n  D: {items: {$ref: 'x/more.yaml#/a~1b%20c'}}\n";
        let more = "Pet: {type: integer}\na/b c: {type: boolean}\n";
        let bundled = run(&[
            ("s/spec.yaml", spec),
            ("s/x/Pet.v2.yaml", "type: number\n"),
            ("s/x/more.yaml", more),
        ])
        .unwrap();
        assert_eq!(
            bundled.json["definitions"],
            json!({
                "Pet": {"type": "string"},
                "A": {"items": {"$ref": "#/definitions/Pet.v2"}},
                "B": {"items": {"$ref": "#/definitions/Pet.v2"}},
                "C": {"items": {"$ref": "#/definitions/Pet2"}},
                "D": {"items": {"$ref": "#/definitions/a_b_c"}},
                "Pet.v2": {"type": "number"},
                "Pet2": {"type": "integer"},
                "a_b_c": {"type": "boolean"},
            })
        );
        assert_eq!(
            bundled.moves.trace("#/definitions/a_b_c/type"),
            (Some("s/x/more.yaml"), "#/a~1b c/type".to_owned())
        );
    }

    /// Another file may refer back into the entry; a chain of bare
    /// references that comes back to the entry's own `$ref` is a cycle.
    #[test]
    fn references_into_the_entry() {
        let spec = "swagger: '2.0'\ndefinitions:\n  Local: {type: string}\n  A: {$ref: a.yaml}\n";
        let bundled = run(&[
            ("s/spec.yaml", spec),
            (
                "s/a.yaml",
                "items: {$ref: 'spec.yaml#/definitions/Local'}\n",
            ),
        ])
        .unwrap();
        assert_eq!(
            bundled.json["definitions"]["A"],
            json!({"items": {"$ref": "#/definitions/Local"}})
        );
        let errors = run(&[
            ("s/spec.yaml", spec),
            ("s/a.yaml", "$ref: 'spec.yaml#/definitions/A'\n"),
        ])
        .unwrap_err();
        assert_eq!(
            errors,
            [
                "s/spec.yaml:4:7: `$ref` at #/definitions/A: `a.yaml` starts a chain of references that comes back without reaching any content (spec.yaml#/definitions/A -> a.yaml -> spec.yaml#/definitions/A): make one of them a schema"
            ]
        );
    }

    /// Examples, defaults and extensions are data; a property called
    /// `$ref` is a name; a 3.x callback and a path item in it are placed.
    #[test]
    fn only_keyword_references_are_followed() {
        let spec = "openapi: 3.0.3\npaths:\n  /a:\n    $ref: item.yaml\n    summary: kept\n";
        let item = "post:\n  callbacks:\n    done: {$ref: 'cb.yaml#/done'}\n  requestBody: {$ref: 'cb.yaml#/Body'}\n  x-note: {$ref: nowhere.yaml}\n";
        let cb = "done:\n  '{$request.body#/url}': {$ref: hook.yaml}\nBody:\n  content:\n    application/json:\n      schema:\n        default: {$ref: nowhere.yaml}\n        properties:\n          $ref: {example: {$ref: nowhere.yaml}}\n";
        let bundled = run(&[
            ("s/spec.yaml", spec),
            ("s/item.yaml", item),
            ("s/cb.yaml", cb),
            (
                "s/hook.yaml",
                "post: {responses: {'200': {description: ok}}}\n",
            ),
        ])
        .unwrap();
        assert_eq!(
            bundled.json["paths"]["/a"],
            json!({
                "summary": "kept",
                "post": {
                    "callbacks": {"done": {"$ref": "#/components/callbacks/done"}},
                    "requestBody": {"$ref": "#/components/requestBodies/Body"},
                    "x-note": {"$ref": "nowhere.yaml"},
                },
            })
        );
        assert_eq!(
            bundled.json["components"]["callbacks"]["done"],
            json!({"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}})
        );
        assert_eq!(
            bundled.json["components"]["requestBodies"]["Body"]["content"]["application/json"]["schema"]
                ["properties"],
            json!({"$ref": {"example": {"$ref": "nowhere.yaml"}}})
        );
        let moves = &bundled.moves;
        assert_eq!(
            moves.trace("#/paths/~1a/summary"),
            (None, "#/paths/~1a/summary".to_owned())
        );
        assert_eq!(
            moves.trace("#/paths/~1a/post"),
            (Some("s/item.yaml"), "#/post".to_owned())
        );
        assert_eq!(
            moves.trace("#/components/callbacks/done/{$request.body#~1url}/post"),
            (Some("s/hook.yaml"), "#/post".to_owned())
        );
    }

    /// A file that does not parse is reported once, where it is; a
    /// fragment that is not a pointer is refused.
    #[test]
    fn broken_files_and_fragments() {
        let spec = "swagger: '2.0'\ndefinitions:\n  A: {items: {$ref: bad.yaml}}\n  B: {items: {$ref: bad.yaml}}\n  C: {items: {$ref: 'ok.yaml#Pet'}}\n";
        let errors = run(&[
            ("s/spec.yaml", spec),
            ("s/bad.yaml", "a: [1\n"),
            ("s/ok.yaml", "Pet: {}\n"),
        ])
        .unwrap_err();
        assert_eq!(
            errors,
            [
                "s/bad.yaml:2:1: cannot parse: did not find expected ',' or ']'",
                "s/spec.yaml:5:15: `$ref` at #/definitions/C/items: `ok.yaml#Pet` has no JSON pointer after `#`: write `file.yaml#/path/to/node` (or no `#` for the whole file)",
            ]
        );
    }

    #[test]
    fn the_entry_must_be_in_its_folder() {
        let entry = Document::parse("s/spec.yaml", "swagger: '2.0'\n").unwrap();
        let errors = bundle(&Files(BTreeMap::new()), "t", entry).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "s/spec.yaml: the spec is not inside its folder `t`: name a folder of the workspace that holds the entry file"
        );
    }
}
