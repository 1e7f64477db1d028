// OWL 2 DL profile check with the OWL API (the library inside Protégé).
//
// Run with the Java 11+ source launcher, no compile step:
//   java -cp <owlapi classpath> OwlCheck.java --catalog ontology/catalog-v001.xml \
//        --ontology ontology/ecosystem.ttl [--data data/x.ttl ...] [--strict]
//
// Imports are resolved ONLY through the XML catalog; http(s) access is disabled for the whole JVM.
// Output: one JSON object per line on stdout, each with "kind" ("load", "import", "unparsed_triple",
// "guessed_declaration", "undeclared_entity", "profile_violation", "fatal", "summary") and "message".
// Exit code: 0 clean, 1 problems found, 2 could not load (bad arguments, parse error, unmapped import).

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.semanticweb.owlapi.formats.TurtleDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.io.OWLOntologyLoaderMetaData;
import org.semanticweb.owlapi.io.OWLParserFactory;
import org.semanticweb.owlapi.io.RDFTriple;
import org.semanticweb.owlapi.model.AddImport;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLEntity;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyIRIMapper;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.UnloadableImportException;
import org.semanticweb.owlapi.model.parameters.Imports;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.util.SimpleRenderer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class OwlCheck {

    static final String MERGED_IRI = "urn:x-ecosystem-graph:owl-check:merged";
    static int problems = 0;
    static String currentFile = null;
    static final SimpleRenderer RENDERER = new SimpleRenderer();

    public static void main(String[] args) {
        // OWL API reports unparsed triples and unrecognised constructs only through its log: route the
        // slf4j-simple output (System.err) through a line parser that turns it into JSON events.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "false");
        System.setErr(new PrintStream(new LogLineStream(), true, StandardCharsets.UTF_8));
        int code;
        try {
            code = run(args);
        } catch (Throwable t) {
            fatal("internal", "unexpected " + t.getClass().getName() + ": " + t.getMessage(), null);
            code = 2;
        }
        System.out.flush();
        System.exit(code);
    }

    static int run(String[] args) throws Exception {
        String catalogPath = null;
        String ontologyPath = null;
        List<String> dataPaths = new ArrayList<>();
        List<String> documentPaths = new ArrayList<>();
        boolean strict = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--catalog": catalogPath = args[++i]; break;
                case "--ontology": ontologyPath = args[++i]; break;
                case "--data": dataPaths.add(args[++i]); break;
                case "--document": documentPaths.add(args[++i]); break;
                case "--strict": strict = true; break;
                default:
                    fatal("usage", "unknown argument " + args[i], null);
                    return 2;
            }
        }
        if (catalogPath == null || ontologyPath == null) {
            fatal("usage", "usage: OwlCheck --catalog FILE --ontology FILE [--data FILE]... [--document FILE]... [--strict]",
                null);
            return 2;
        }
        String binding = org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName();
        if (!binding.equals("org.slf4j.impl.SimpleLoggerFactory")) {
            fatal("classpath", "slf4j-simple must be on the classpath (found " + binding + "): OWL API reports "
                + "unparsed triples only through its log", null);
            return 2;
        }
        disableNetwork();

        File catalog = new File(catalogPath).getAbsoluteFile();
        Map<String, IRI> mappings;
        try {
            mappings = readCatalog(catalog);
        } catch (Exception e) {
            fatal("catalog", "cannot read catalog " + catalog + ": " + e.getMessage(), catalog.toString());
            return 2;
        }

        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        List<String> unmapped = new ArrayList<>();
        manager.getIRIMappers().clear();
        manager.getIRIMappers().add((OWLOntologyIRIMapper) ontologyIRI -> {
            IRI doc = mappings.get(ontologyIRI.toString());
            if (doc != null) {
                emit("import", "resolved through the catalog", "iri", ontologyIRI.toString(), "document", doc.toString());
                return doc;
            }
            unmapped.add(ontologyIRI.toString());
            // A document IRI no URL handler can open: loading fails instead of going to the network.
            return IRI.create("urn:x-ecosystem-graph:unmapped-import:" + ontologyIRI);
        });
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION)
            .setStrict(strict)
            .setFollowRedirects(false)
            .setRetriesToAttempt(1)
            .setReportStackTraces(false);
        manager.setOntologyLoaderConfiguration(config);

        Map<OWLOntology, String> sources = new LinkedHashMap<>();
        OWLOntology root = load(manager, new File(ontologyPath), unmapped, catalog, sources);
        if (root == null) {
            return 2;
        }
        if (!root.getOntologyID().getOntologyIRI().isPresent()) {
            fatal("anonymous_ontology", ontologyPath + " has no owl:Ontology IRI", ontologyPath);
            return 2;
        }
        for (String d : dataPaths) {
            if (loadData(manager, root, new File(d), unmapped, catalog, sources) == null) {
                return 2;
            }
        }
        // Data files that are ontology documents of their own (owl:Ontology header, owl:imports): loaded as
        // Protégé loads them, imports through the catalog; one already loaded as an import is not loaded twice.
        for (String d : documentPaths) {
            File file = new File(d).getAbsoluteFile();
            IRI documentIRI = IRI.create(file);
            OWLOntology known = manager.ontologies()
                .filter(o -> documentIRI.equals(manager.getOntologyDocumentIRI(o))).findFirst().orElse(null);
            if (known != null) {
                sources.put(known, file.getPath());
                emit("load", "loaded " + file.getPath() + " (already loaded as an import)", "file", file.getPath(),
                    "ontology", known.getOntologyID().getOntologyIRI().map(IRI::toString).orElse(null),
                    "axioms", Integer.toString(known.getAxiomCount()));
            } else if (load(manager, file, unmapped, catalog, sources) == null) {
                return 2;
            }
        }
        for (OWLOntology o : manager.getOntologies()) {
            IRI doc = manager.getOntologyDocumentIRI(o);
            String scheme = doc.getScheme();
            if (scheme == null || !scheme.equals("file")) {
                fatal("non_local_document", "ontology " + o.getOntologyID() + " was loaded from " + doc
                    + ", not from a local file", doc.toString());
                return 2;
            }
            sources.putIfAbsent(o, new File(URI.create(doc.toString())).getPath());
        }
        for (Map.Entry<OWLOntology, String> e : sources.entrySet()) {
            reportLoaderMetaData(e.getKey(), e.getValue());
        }

        // One ontology holding everything that was loaded, so that data is checked against the
        // declarations of the ontology and its imports (as Protégé sees ontology + data together).
        OWLOntology merged = manager.createOntology(IRI.create(MERGED_IRI));
        for (OWLOntology o : sources.keySet()) {
            manager.addAxioms(merged, o.axioms());
        }
        currentFile = null;
        RENDERER.setPrefixesFromOntologyFormat(root, false);
        reportUndeclared(merged, sources);
        OWLProfileReport report = new OWL2DLProfile().checkOntology(merged);
        for (OWLProfileViolation v : report.getViolations()) {
            OWLAxiom ax = v.getAxiom();
            String where = ax == null ? null : sourcesOf(ax, sources);
            String text = ax == null ? v.toString() : v.getClass().getSimpleName() + ": " + describe(v)
                + " in axiom " + RENDERER.render(ax);
            problems++;
            emit("profile_violation", text, "violation", v.getClass().getSimpleName(),
                "axiom", ax == null ? null : RENDERER.render(ax), "file", where);
        }
        int axioms = merged.getAxiomCount();
        emit("summary", problems == 0 ? "OWL 2 DL: no problems" : problems + " problem(s) found",
            "problems", Integer.toString(problems), "axioms", Integer.toString(axioms),
            "ontologies", Integer.toString(sources.size()), "dl", Boolean.toString(report.isInProfile()));
        return problems == 0 ? 0 : 1;
    }

    /** Short text of a violation without OWL API's trailing "[axiom in ontology]" part. */
    static String describe(OWLProfileViolation v) {
        String s = v.toString();
        int i = s.indexOf(" [");
        return i > 0 ? s.substring(0, i) : s;
    }

    static OWLOntology load(OWLOntologyManager manager, File file, List<String> unmapped, File catalog,
                            Map<OWLOntology, String> sources) {
        if (!file.isFile()) {
            fatal("missing_file", "no such file: " + file, file.toString());
            return null;
        }
        OWLDocumentFormat format = file.getName().endsWith(".ttl") ? new TurtleDocumentFormat() : null;
        FileDocumentSource src = format == null ? new FileDocumentSource(file) : new FileDocumentSource(file, format);
        return parsed(file, unmapped, catalog, sources, () -> manager.loadOntologyFromOntologyDocument(src));
    }

    interface Parse {
        OWLOntology run() throws Exception;
    }

    /** Runs {@code parse} on {@code file}: the ontology, recorded and reported as loaded, or null with the cause. */
    static OWLOntology parsed(File file, List<String> unmapped, File catalog, Map<OWLOntology, String> sources,
                              Parse parse) {
        currentFile = file.getPath();
        try {
            OWLOntology o = parse.run();
            sources.put(o, file.getPath());
            emit("load", "loaded " + file.getPath(), "file", file.getPath(), "ontology",
                o.getOntologyID().getOntologyIRI().map(IRI::toString).orElse(null),
                "axioms", Integer.toString(o.getAxiomCount()));
            return o;
        } catch (UnloadableImportException e) {
            reportImportFailure(e, file, unmapped, catalog);
            return null;
        } catch (Exception e) {
            if (!unmapped.isEmpty()) {
                reportUnmapped(file, unmapped, catalog);
            } else {
                fatal("parse_error", "cannot parse " + file.getPath() + ": " + firstLines(e), file.getPath());
            }
            return null;
        }
    }

    static void reportUnmapped(File file, List<String> unmapped, File catalog) {
        for (String iri : unmapped) {
            fatal("unmapped_import", "owl:imports <" + iri + "> (while loading " + file.getPath() + ") is not mapped by "
                + "catalog " + catalog + " (imports are resolved offline, only through the catalog)", file.getPath(),
                "iri", iri);
        }
    }

    /**
     * Parses a data file into a fresh ontology that imports the root ontology, so that the RDF parser
     * knows every declared class and property (otherwise it would guess object properties of the data
     * to be annotation properties).
     */
    static OWLOntology loadData(OWLOntologyManager manager, OWLOntology root, File file, List<String> unmapped,
                                File catalog, Map<OWLOntology, String> sources) {
        if (!file.isFile()) {
            fatal("missing_file", "no such file: " + file, file.toString());
            return null;
        }
        String name = file.getName();
        OWLDocumentFormat wanted = name.endsWith(".ttl") ? new TurtleDocumentFormat()
            : name.endsWith(".owl") || name.endsWith(".rdf") ? new RDFXMLDocumentFormat() : null;
        if (wanted == null) {
            fatal("unsupported_format", "data files must be Turtle (.ttl) or RDF/XML (.rdf, .owl): " + file,
                file.getPath());
            return null;
        }
        OWLParserFactory factory = null;
        for (OWLParserFactory f : manager.getOntologyParsers()) {
            if (f.getSupportedFormat().getKey().equals(wanted.getKey())) {
                factory = f;
                break;
            }
        }
        if (factory == null) {
            fatal("unsupported_format", "no OWL API parser for " + wanted.getKey() + " on the classpath", file.getPath());
            return null;
        }
        OWLParserFactory parser = factory;
        return parsed(file, unmapped, catalog, sources, () -> {
            OWLOntology o = manager.createOntology();
            IRI rootIRI = root.getOntologyID().getOntologyIRI().get();
            manager.applyChange(new AddImport(o, manager.getOWLDataFactory().getOWLImportsDeclaration(rootIRI)));
            manager.setOntologyDocumentIRI(o, IRI.create(file.getAbsoluteFile()));
            OWLDocumentFormat format = parser.createParser().parse(new FileDocumentSource(file, wanted), o,
                manager.getOntologyLoaderConfiguration());
            manager.setOntologyFormat(o, format);
            return o;
        });
    }

    static void reportImportFailure(UnloadableImportException e, File file, List<String> unmapped, File catalog) {
        String iri = e.getImportsDeclaration().getIRI().toString();
        if (!unmapped.isEmpty()) {
            reportUnmapped(file, unmapped, catalog);
        } else {
            fatal("unloadable_import", "owl:imports <" + iri + "> (while loading " + file.getPath()
                + ") could not be loaded: " + firstLine(e), file.getPath(), "iri", iri);
        }
    }

    static void reportLoaderMetaData(OWLOntology o, String file) {
        OWLDocumentFormat format = o.getFormat();
        if (format == null || !format.getOntologyLoaderMetaData().isPresent()) {
            return;
        }
        OWLOntologyLoaderMetaData meta = format.getOntologyLoaderMetaData().get();
        for (RDFTriple t : meta.getUnparsedTriples().collect(Collectors.toList())) {
            problems++;
            emit("unparsed_triple", "triple not translated into any OWL axiom (not OWL 2 DL): " + t, "file", file,
                "triple", t.toString());
        }
        for (Map.Entry<IRI, Class<?>> g : meta.getGuessedDeclarations().entries()) {
            problems++;
            String kind = g.getValue().getSimpleName().replace("OWL", "");
            emit("guessed_declaration", "<" + g.getKey() + "> is used without a declaration; the parser guessed it is a "
                + kind, "file", file, "entity", g.getKey().toString(), "entity_type", kind);
        }
    }

    static final Pattern LOG_LINE = Pattern.compile("^(TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - (.*)$");
    static final Pattern UNPARSED = Pattern.compile("^Unparsed triple: (.*)$");

    /** Turns each log line of OWL API into an event; parser errors, warnings and unparsed triples count as problems. */
    static synchronized void logLine(String line) {
        Matcher m = LOG_LINE.matcher(line);
        if (!m.matches()) {
            if (!line.isBlank()) {
                emit("log", line);
            }
            return;
        }
        String level = m.group(1);
        String logger = m.group(2);
        String text = m.group(3);
        Matcher u = UNPARSED.matcher(text);
        if (u.matches()) {
            problems++;
            emit("unparsed_triple", "triple not translated into any OWL axiom (not OWL 2 DL, or a malformed "
                + "construct): " + u.group(1), "triple", u.group(1), "file", currentFile);
        } else if (level.equals("ERROR") || level.equals("WARN")) {
            problems++;
            emit(level.equals("ERROR") ? "parser_error" : "parser_warning", text, "logger", logger, "file", currentFile);
        } else {
            emit("log", text, "logger", logger, "level", level);
        }
    }

    static final class LogLineStream extends OutputStream {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                logLine(buf.toString(StandardCharsets.UTF_8).stripTrailing());
                buf.reset();
            } else {
                buf.write(b);
            }
        }
    }

    /**
     * OWL 2 DL's typing constraints (Structural Specification 5.8.1): every class, property and datatype used
     * in an axiom must be declared. Named individuals need no declaration, and a datatype that appears only
     * in annotations (a literal's type) is not used in an axiom: both as in OWL API's OWL2DLProfile.
     */
    static void reportUndeclared(OWLOntology merged, Map<OWLOntology, String> sources) {
        Set<OWLEntity> logical = merged.logicalAxioms()
            .flatMap(ax -> ax.getAxiomWithoutAnnotations().signature())
            .collect(Collectors.toSet());
        Set<String> seen = new TreeSet<>();
        merged.signature().forEach(e -> {
            if (e.isBuiltIn() || e.isOWLNamedIndividual() || merged.isDeclared(e, Imports.INCLUDED)) {
                return;
            }
            if (!e.isOWLAnnotationProperty() && !logical.contains(e)) {
                return;
            }
            if (e.getIRI().toString().startsWith("http://org.semanticweb.owlapi/error#")) {
                problems++;
                emit("malformed_construct", "OWL API could not recognise a construct and replaced it with <"
                    + e.getIRI() + ">; look for incomplete restrictions or lists (see the unparsed triples)",
                    "entity", e.getIRI().toString());
                return;
            }
            String key = e.getEntityType().getName() + " " + e.getIRI();
            if (!seen.add(key)) {
                return;
            }
            Set<String> files = new LinkedHashSet<>();
            for (Map.Entry<OWLOntology, String> s : sources.entrySet()) {
                if (s.getKey().containsEntityInSignature(e)) {
                    files.add(s.getValue());
                }
            }
            problems++;
            emit("undeclared_entity", e.getEntityType().getPrintName() + " <" + e.getIRI() + "> is used but has no "
                + "Declaration axiom in the ontology, its imports or the data", "entity", e.getIRI().toString(),
                "entity_type", e.getEntityType().getName(), "file", String.join(", ", files));
        });
    }

    static String sourcesOf(OWLAxiom ax, Map<OWLOntology, String> sources) {
        List<String> files = new ArrayList<>();
        for (Map.Entry<OWLOntology, String> s : sources.entrySet()) {
            if (s.getKey().containsAxiomIgnoreAnnotations(ax)) {
                files.add(s.getValue());
            }
        }
        return files.isEmpty() ? null : String.join(", ", files);
    }

    /** Protégé's catalog-v001.xml: every <uri name="ontology IRI" uri="document, relative to the catalog"/>. */
    static Map<String, IRI> readCatalog(File catalog) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setExpandEntityReferences(false);
        Document doc = f.newDocumentBuilder().parse(catalog);
        Map<String, IRI> out = new LinkedHashMap<>();
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        URI base = catalog.getParentFile().toURI();
        for (int i = 0; i < all.getLength(); i++) {
            Element el = (Element) all.item(i);
            String local = el.getLocalName();
            if ("uri".equals(local)) {
                String name = el.getAttribute("name");
                String target = el.getAttribute("uri");
                if (name.isEmpty() || target.isEmpty()) {
                    continue;
                }
                URI resolved = baseOf(el, base).resolve(target);
                if (!"file".equals(resolved.getScheme())) {
                    throw new IOException("catalog entry " + name + " points to non-local " + resolved);
                }
                File doc2 = new File(resolved);
                if (!doc2.isFile()) {
                    problems++;
                    emit("catalog_missing_file", "catalog maps <" + name + "> to " + doc2 + ", which does not exist",
                        "iri", name, "file", doc2.getPath());
                }
                out.put(name, IRI.create(resolved));
            } else if (!"catalog".equals(local) && !"group".equals(local)) {
                emit("catalog_ignored", "catalog element <" + local + "> is not supported and was ignored");
            }
        }
        return out;
    }

    /** The base URI of a catalog element: the catalog's folder, then each enclosing xml:base in turn. */
    static URI baseOf(Element el, URI catalogBase) {
        List<String> bases = new ArrayList<>();
        for (org.w3c.dom.Node n = el; n instanceof Element; n = n.getParentNode()) {
            String b = ((Element) n).getAttributeNS("http://www.w3.org/XML/1998/namespace", "base");
            if (!b.isEmpty()) {
                bases.add(0, b);
            }
        }
        URI base = catalogBase;
        for (String b : bases) {
            base = base.resolve(b);
        }
        return base;
    }

    /** Every http/https/ftp URL the JVM opens from now on fails, so nothing can be fetched from the network. */
    static void disableNetwork() {
        URL.setURLStreamHandlerFactory(protocol -> {
            if (protocol.equals("http") || protocol.equals("https") || protocol.equals("ftp")) {
                return new URLStreamHandler() {
                    @Override
                    protected URLConnection openConnection(URL u) throws IOException {
                        throw new IOException("network access is disabled (tried to fetch " + u + ")");
                    }
                };
            }
            return null;
        });
    }

    static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        Throwable c = e.getCause();
        if (c != null && c.getMessage() != null) {
            m = m + " (" + c.getMessage() + ")";
        }
        return m.split("\n")[0];
    }

    static String firstLines(Throwable e) {
        String m = String.valueOf(e.getMessage()).strip();
        String[] lines = m.split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length, 12); i++) {
            if (!lines[i].isBlank()) {
                sb.append(sb.length() > 0 ? " | " : "").append(lines[i].strip());
            }
        }
        return sb.toString();
    }

    static void fatal(String cause, String message, String file, String... extra) {
        String[] kv = new String[4 + extra.length];
        kv[0] = "cause";
        kv[1] = cause;
        kv[2] = "file";
        kv[3] = file;
        System.arraycopy(extra, 0, kv, 4, extra.length);
        emit("fatal", message, kv);
    }

    static void emit(String kind, String message, String... kv) {
        StringBuilder sb = new StringBuilder("{\"kind\":").append(json(kind)).append(",\"message\":").append(json(message));
        for (int i = 0; i + 1 < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                sb.append(',').append(json(kv[i])).append(':').append(json(kv[i + 1]));
            }
        }
        System.out.println(sb.append('}'));
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
