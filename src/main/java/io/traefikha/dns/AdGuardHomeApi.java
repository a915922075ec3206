package io.traefikha.dns;

import io.traefikha.dns.AdGuardHomeProvider.Rewrite;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The part of AdGuard Home's HTTP API the provider uses, as a Quarkus REST Client interface (see REWRITE-API-NOTES).
 * Answers are read as a {@link Response}: errors are plain text, a server before its setup redirects, and mutations
 * answer 200 with an empty body. Changes are sent as exactly {@code application/json} (anything else is answered 415).
 * The Basic credentials go in as a header on each call, so one client serves every resource using this server.
 */
@Path("/control")
public interface AdGuardHomeApi {

    @GET
    @Path("/rewrite/list")
    Response listRewrites(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @GET
    @Path("/status")
    Response status(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @POST
    @Path("/rewrite/add")
    @Consumes(MediaType.APPLICATION_JSON)
    Response addRewrite(Rewrite rewrite, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @POST
    @Path("/rewrite/delete")
    @Consumes(MediaType.APPLICATION_JSON)
    Response deleteRewrite(Rewrite rewrite, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    /** Since v0.107.30. */
    @PUT
    @Path("/rewrite/update")
    @Consumes(MediaType.APPLICATION_JSON)
    Response updateRewrite(RewriteUpdate update, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    record RewriteUpdate(Rewrite target, Rewrite update) {
    }
}
