// A SPARQL client built on Apache Jena (QueryExecutionHTTP), for the endpoint tests: one JVM runs every query.
// Usage: JenaClient ENDPOINT OUTDIR (MODE QUERYFILE)...   MODE is GET, POST (sparql-query body) or FORM.
// Each answer is written to OUTDIR/<query file name>.<MODE>: SELECT and ASK as SPARQL JSON, graphs as N-Triples.

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.sparql.exec.http.QueryExecutionHTTP;
import org.apache.jena.sparql.exec.http.QuerySendMode;

public class JenaClient {
    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        Path outdir = Path.of(args[1]);
        for (int i = 2; i + 1 < args.length; i += 2) {
            String mode = args[i];
            Path file = Path.of(args[i + 1]);
            String text = Files.readString(file);
            Query query = QueryFactory.create(text);
            QuerySendMode send = switch (mode) {
                case "GET" -> QuerySendMode.asGetAlways;
                case "POST" -> QuerySendMode.asPost;
                case "FORM" -> QuerySendMode.asPostForm;
                default -> throw new IllegalArgumentException("mode " + mode);
            };
            try (QueryExecution execution = QueryExecutionHTTP.service(endpoint).query(query).sendMode(send).build();
                 OutputStream out = Files.newOutputStream(outdir.resolve(file.getFileName() + "." + mode))) {
                if (query.isSelectType()) {
                    ResultSetFormatter.outputAsJSON(out, execution.execSelect());
                } else if (query.isAskType()) {
                    ResultSetFormatter.outputAsJSON(out, execution.execAsk());
                } else if (query.isConstructType()) {
                    execution.execConstruct().write(out, "N-TRIPLES");
                } else {
                    execution.execDescribe().write(out, "N-TRIPLES");
                }
            }
        }
    }
}
