package io.traefikha.proxmox;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The Proxmox VE API ({@code /api2/json}) as a Quarkus REST Client interface, one method per HTTP method, built per
 * endpoint and trust at run time by {@link RestClients}. {@link ProxmoxClient} owns the paths, the parameters and the
 * answers: it passes the path already encoded (names and CIDRs are percent-encoded segments), sends POST/PUT
 * parameters as a form body encoded exactly as Proxmox parses it ({@link FormParams}), and reads the {@link Response}
 * itself, because Proxmox's error text is in the reason phrase and a non-200 answer is not an exception here.
 * The token goes in as a header on each call, so one client serves every resource that talks to the same endpoint.
 */
@Path("/api2/json")
@Produces(MediaType.APPLICATION_JSON)
public interface ProxmoxRestApi {

    @GET
    @Path("{path: .+}")
    Response get(@PathParam("path") @Encoded String path, @RestQuery Map<String, String> query,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @DELETE
    @Path("{path: .+}")
    Response delete(@PathParam("path") @Encoded String path, @RestQuery Map<String, String> query,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @POST
    @Path("{path: .+}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Response post(@PathParam("path") @Encoded String path, String form, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @PUT
    @Path("{path: .+}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    Response put(@PathParam("path") @Encoded String path, String form, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);
}
