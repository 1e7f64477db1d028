// Converts one self-contained ontology document (no owl:imports, such as a merged release) to OWL/XML or
// RDF/XML with the OWL API, the library inside Protégé.
//
// Run with the Java 11+ source launcher, no compile step:
//   java -cp <owlapi classpath> OwlConvert.java --input release.ttl --output release.owx --format owlxml
//
// Network access is disabled for the whole JVM and a missing import is an error, so nothing is fetched.
// Exit code: 0 written, 2 could not load or save (the reason on standard error).

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.formats.OWLXMLDocumentFormat;
import org.semanticweb.owlapi.formats.RDFXMLDocumentFormat;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLDocumentFormat;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;

public class OwlConvert {

    public static void main(String[] args) {
        String input = null;
        String output = null;
        String format = "owlxml";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--input": input = args[i + 1]; break;
                case "--output": output = args[i + 1]; break;
                case "--format": format = args[i + 1]; break;
                default:
                    System.err.println("unknown argument " + args[i]);
                    System.exit(2);
            }
        }
        if (input == null || output == null || !(format.equals("owlxml") || format.equals("rdfxml"))) {
            System.err.println("usage: OwlConvert --input FILE --output FILE [--format owlxml|rdfxml]");
            System.exit(2);
        }
        URL.setURLStreamHandlerFactory(protocol -> protocol.startsWith("http") || protocol.equals("ftp")
            ? new URLStreamHandler() {
                @Override
                protected URLConnection openConnection(URL u) throws IOException {
                    throw new IOException("network access is disabled (tried to fetch " + u + ")");
                }
            } : null);
        try {
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            manager.getIRIMappers().clear();
            manager.setOntologyLoaderConfiguration(new OWLOntologyLoaderConfiguration()
                .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.THROW_EXCEPTION)
                .setReportStackTraces(false));
            OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(new File(input)));
            OWLDocumentFormat target = format.equals("owlxml") ? new OWLXMLDocumentFormat() : new RDFXMLDocumentFormat();
            OWLDocumentFormat source = manager.getOntologyFormat(ontology);
            if (source != null && source.isPrefixOWLDocumentFormat() && target.isPrefixOWLDocumentFormat()) {
                target.asPrefixOWLDocumentFormat().copyPrefixesFrom(source.asPrefixOWLDocumentFormat());
            }
            manager.saveOntology(ontology, target, IRI.create(new File(output).getAbsoluteFile()));
            System.out.println(ontology.getAxiomCount());
        } catch (Exception e) {
            System.err.println("cannot convert " + input + ": " + e.getMessage());
            System.exit(2);
        }
    }
}
