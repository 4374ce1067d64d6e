// What each exposure-relevant field means, in the product's voice: what it
// does, what the cluster does when it is left out, the trade-off against the
// alternatives, and where to read more. Hover shows these; completion uses the
// enum values' first sentences as one-line explanations. Fields not listed here
// fall back to the `description`s of the JSON Schemas in schemas/.
import { docsUrl } from '../engine/rule';
import { WORKLOAD_TEMPLATE_PATHS, type Path } from '../engine/model';

export interface FieldDoc {
  /** 2-5 lines of Markdown */
  text: string;
  link: string;
  linkText: string;
  /** per-value explanations; the first sentence of each is its one-liner */
  values?: Record<string, string>;
  /** the values are the complete set the API accepts (offered by completion) */
  closed?: boolean;
}

const NET = 'https://kubernetes.io/docs/concepts/services-networking/';
const SVC = `${NET}service/`;
const ING = `${NET}ingress/`;
const VIPS = 'https://kubernetes.io/docs/reference/networking/virtual-ips/';
const LABELS = 'https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/';
const SLICES = `${NET}endpoint-slices/`;
const POD_API = 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/';
const GATEWAY = 'https://gateway-api.sigs.k8s.io/api-types/httproute/';

const L = (link: string, linkText: string) => ({ link, linkText });

/** One-line summary: the first sentence of a text. */
export function firstSentence(text: string): string {
  const m = /^(.+?[.!?])(\s|$)/s.exec(text.replace(/\s+/g, ' ').trim());
  return m ? m[1] : text;
}

const PROTOCOL_VALUES = {
  TCP: 'Streams: HTTP, gRPC, databases, most things. The default.',
  UDP: 'Datagrams: DNS, QUIC, syslog, game and media servers. Ingress controllers do not route it; use a Service (NodePort or LoadBalancer).',
  SCTP: 'Multi-stream transport used mostly by telecom workloads. Every node must support it in its kernel.',
};

// Keys: `<family>:<path>`, path segments joined by '.', list items as `[]`,
// any map key as `<key>`, keys holding '.' or '/' in double quotes.
// Families: Service, Pod (a pod or a workload's pod template, template-relative),
// Workload (a workload's own fields), Ingress, IngressClass, Endpoints,
// EndpointSlice, HTTPRoute, and * (any kind).
export const FIELDS: Record<string, FieldDoc> = {
  // -------------------------------------------------------------------------
  // Service
  'Service:spec.type': {
    text:
      'How far the Service reaches. Left out: `ClusterIP`, reachable from inside the cluster only.\n' +
      '`NodePort` adds a port on every node, `LoadBalancer` adds an external load balancer on top of that, ' +
      '`ExternalName` is only a DNS alias. Each step outward is more reachable and more exposed; for HTTP, one Ingress ' +
      'in front of ClusterIP Services usually beats a load balancer per Service.',
    ...L(`${SVC}#publishing-services-service-types`, 'Kubernetes: Service types'),
    closed: true,
    values: {
      ClusterIP:
        'A stable virtual IP and DNS name (`<name>.<namespace>.svc`), reachable only from inside the cluster. The default. ' +
        'Put an Ingress or a Gateway in front of it to let HTTP in from outside.',
      NodePort:
        'ClusterIP plus a port opened on every node: `<any node IP>:<nodePort>` reaches the pods. ' +
        'The port comes from 30000-32767 unless you fix one. No load balancer of its own: clients must know node IPs, which change. ' +
        'Fits bare metal, demos, or sitting under your own load balancer.',
      LoadBalancer:
        'NodePort plus an external load balancer from the cloud provider (or MetalLB); its address shows up as EXTERNAL-IP. ' +
        'Carries any TCP/UDP traffic, but costs one load balancer per Service, and stays `<pending>` where nothing provisions one.',
      ExternalName:
        'A DNS alias: the Service name becomes a CNAME for `spec.externalName`. ' +
        'No proxying, no selector, no port remapping, no cluster IP. Gives an outside host an in-cluster name.',
    },
  },
  'Service:spec.selector': {
    text:
      'Pods whose labels contain every `key: value` here become the Service\'s endpoints, in the same namespace only.\n' +
      'Left out: no automatic endpoints; you list the backends yourself in an EndpointSlice (for databases or APIs outside the cluster). ' +
      'An empty map `{}` selects nothing. Select on stable labels such as `app`, never on `pod-template-hash`.',
    ...L(`${SVC}#defining-a-service`, 'Kubernetes: defining a Service'),
  },
  'Service:spec.selector.<key>': {
    text:
      'One selector pair: a pod must carry this label with exactly this value (and every other pair) to receive traffic. ' +
      'Adding pairs narrows the selection; a typo silently selects nothing.',
    ...L(LABELS, 'Kubernetes: labels and selectors'),
  },
  'Service:spec.ports': {
    text:
      'The ports the Service listens on, each forwarding to a `targetPort` on the pods. ' +
      'Required, except for headless and ExternalName Services. With two or more ports, every port needs a `name`.',
    ...L(`${SVC}#multi-port-services`, 'Kubernetes: multi-port Services'),
  },
  'Service:spec.ports[].port': {
    text:
      'The port clients connect to on the Service: its cluster IP, and the load balancer for type LoadBalancer. ' +
      'Ingress backends and HTTPRoute backendRefs refer to this number, not to the container\'s. Required, 1-65535.',
    ...L(`${SVC}#defining-a-service`, 'Kubernetes: defining a Service'),
  },
  'Service:spec.ports[].targetPort': {
    text:
      'Where the traffic lands on each pod: a container port number, or (better) a container port\'s `name`, so the pod ' +
      'can change its number without touching the Service.\nLeft out: the same as `port`. ' +
      'A name must exist with the same protocol in each pod, or that pod gets no traffic on this port; a number is used as-is, declared or not.',
    ...L(docsUrl('service-targetport-unnamed'), 'kube-expose: why name the target port'),
  },
  'Service:spec.ports[].nodePort': {
    text:
      'For NodePort and LoadBalancer: the port opened on every node for this Service port.\n' +
      'Left out: the cluster picks a free one from its range (30000-32767 by default), which is usually what you want. ' +
      'A fixed value must be inside the range and unused by every other Service in the cluster; fix one only when clients or a firewall need a known port.',
    ...L(`${SVC}#type-nodeport`, 'Kubernetes: type NodePort'),
  },
  'Service:spec.ports[].protocol': {
    text:
      'The transport protocol of this port. Left out: `TCP`. ' +
      'A named `targetPort` only matches a container port with the same protocol; one number may appear twice with different protocols (DNS on 53/TCP and 53/UDP).',
    ...L('https://kubernetes.io/docs/reference/networking/service-protocols/', 'Kubernetes: protocols for Services'),
    closed: true,
    values: PROTOCOL_VALUES,
  },
  'Service:spec.ports[].name': {
    text:
      'Names this Service port. Required once the Service has more than one port. ' +
      'Ingress `port.name`, EndpointSlice ports and DNS SRV records (`_<name>._<protocol>.<service>`) refer to it. ' +
      'Lowercase letters, digits and `-`; keep it to 15 characters if an Ingress refers to it by name.',
    ...L(`${SVC}#multi-port-services`, 'Kubernetes: multi-port Services'),
  },
  'Service:spec.ports[].appProtocol': {
    text:
      'The application protocol on this port, for controllers and meshes: `http`, `https`, `kubernetes.io/h2c`, `kubernetes.io/ws`, `kubernetes.io/wss`, or a domain-prefixed name. ' +
      'Left out: they guess (usually plain TCP or HTTP/1.1). Set it when the backend speaks HTTP/2, gRPC or TLS.',
    ...L(`${SVC}#application-protocol`, 'Kubernetes: application protocol'),
  },
  'Service:spec.clusterIP': {
    text:
      'The Service\'s virtual IP. Left out: one is allocated, the usual case. ' +
      '`None` makes the Service headless: no virtual IP and no proxying, DNS answers with the pod IPs. Cannot be changed after creation.',
    ...L(`${SVC}#headless-services`, 'Kubernetes: headless Services'),
    values: {
      None:
        'Headless: no virtual IP and no kube-proxy balancing; DNS returns each ready pod\'s IP (and stable `<pod>.<service>` names for StatefulSets). ' +
        'For peer discovery and clients that balance connections themselves.',
    },
  },
  'Service:spec.externalName': {
    text:
      'For `type: ExternalName`: the host name the Service name becomes a CNAME for, such as `db.example.com` (a name, not an IP or URL). ' +
      'Clients connect to that host directly on their own port; HTTP Host headers and TLS names still carry the Service\'s name, which many external hosts reject.',
    ...L(`${SVC}#externalname`, 'Kubernetes: type ExternalName'),
  },
  'Service:spec.externalIPs': {
    text:
      'Extra IPs on which the nodes answer for this Service, if your network routes them to a node. ' +
      'Kubernetes does not own or check these addresses: anyone allowed to create Services can intercept traffic this way (CVE-2020-8554), so many clusters block the field. ' +
      'Left out: none. Prefer type LoadBalancer.',
    ...L(docsUrl('service-external-ips'), 'kube-expose: service-external-ips'),
  },
  'Service:spec.sessionAffinity': {
    text:
      'Whether repeated connections from one client go to the same pod. Left out: `None`. ' +
      '`ClientIP` pins by source IP at L4; for cookie-based stickiness use the Ingress controller\'s affinity settings instead.',
    ...L(`${SVC}#session-stickiness`, 'Kubernetes: session stickiness'),
    closed: true,
    values: {
      None: 'Each connection may go to any ready pod. The default.',
      ClientIP:
        'Connections from one client IP stick to one pod for `sessionAffinityConfig.clientIP.timeoutSeconds` (default 10800 s, 3 hours). ' +
        'L4 only, no cookies; clients behind one NAT all land on the same pod.',
    },
  },
  'Service:spec.sessionAffinityConfig': {
    text: 'Settings for `sessionAffinity: ClientIP`; dropped when the affinity is `None`.',
    ...L(`${SVC}#session-stickiness`, 'Kubernetes: session stickiness'),
  },
  'Service:spec.sessionAffinityConfig.clientIP.timeoutSeconds': {
    text:
      'How long a client stays pinned to its pod after its last connection, 1-86400 seconds. Left out: 10800 (3 hours). ' +
      'Shorter spreads load sooner after scaling; longer keeps in-memory sessions alive.',
    ...L(`${SVC}#session-stickiness`, 'Kubernetes: session stickiness'),
  },
  'Service:spec.externalTrafficPolicy': {
    text:
      'How traffic arriving through a node port, load balancer or external IP is spread. Left out: `Cluster`. ' +
      'Only for NodePort, LoadBalancer, or Services with externalIPs.',
    ...L(`${VIPS}#external-traffic-policy`, 'Kubernetes: external traffic policy'),
    closed: true,
    values: {
      Cluster:
        'Any node forwards to any ready pod, even on another node. Even spread, but an extra hop, and the pod sees a node\'s IP instead of the client\'s (SNAT). The default.',
      Local:
        'A node only forwards to pods on itself. The client IP is preserved and there is no extra hop, ' +
        'but nodes without a ready pod drop the traffic (load balancers health-check them out) and load follows pod placement.',
    },
  },
  'Service:spec.internalTrafficPolicy': {
    text: 'How traffic from inside the cluster is spread. Left out: `Cluster`.',
    ...L(`${NET}service-traffic-policy/`, 'Kubernetes: internal traffic policy'),
    closed: true,
    values: {
      Cluster: 'Traffic from inside the cluster may go to any ready pod. The default.',
      Local:
        'Only pods on the caller\'s node receive traffic; with none there, it is dropped. ' +
        'Fits per-node agents (DaemonSets) such as log or metrics collectors.',
    },
  },
  'Service:spec.loadBalancerSourceRanges': {
    text:
      'For LoadBalancer: the client CIDRs allowed through, such as `203.0.113.0/24`; the provider\'s firewall drops everything else. ' +
      'Left out: open to every address. A cheap lock for admin endpoints, but honored only by providers that implement it.',
    ...L('https://kubernetes.io/docs/tasks/access-application-cluster/configure-cloud-provider-firewall/', 'Kubernetes: restricting load balancer access'),
  },
  'Service:spec.loadBalancerClass': {
    text:
      'For LoadBalancer: which implementation provisions the load balancer (`service.k8s.aws/nlb`, `io.cilium/bgp-control-plane`, ...). ' +
      'Left out: the cloud provider\'s default controller. Set it to run several implementations side by side; if none handles the class, the Service stays `<pending>`. Cannot change after creation.',
    ...L(`${SVC}#load-balancer-class`, 'Kubernetes: load balancer class'),
  },
  'Service:spec.allocateLoadBalancerNodePorts': {
    text:
      'For LoadBalancer: whether node ports are still opened behind the load balancer. Left out: `true`. ' +
      'Set `false` only when the load balancer sends traffic straight to pod IPs; otherwise it has nowhere to send it. Saves node ports and a hop.',
    ...L(`${SVC}#load-balancer-nodeport-allocation`, 'Kubernetes: load balancer node port allocation'),
    values: {
      true: 'Node ports are allocated for every port, as for type NodePort. The default.',
      false: 'No node ports: only for load balancers that target pod IPs directly.',
    },
  },
  'Service:metadata.name': {
    text:
      'The Service\'s name, and its DNS name inside the cluster: `<name>.<namespace>.svc`. ' +
      'Ingress backends, HTTPRoutes, Endpoints and EndpointSlices refer to it. Lowercase letters, digits and `-`, starting with a letter.',
    ...L(`${SVC}#dns`, 'Kubernetes: Services and DNS'),
  },

  // -------------------------------------------------------------------------
  // Pods and pod templates (paths relative to the template)
  'Pod:metadata.labels': {
    text:
      'Labels every pod gets. Services find pods through these: a Service selects the pods when all its selector pairs are among them. ' +
      'The workload\'s own `spec.selector` must match them too.',
    ...L(LABELS, 'Kubernetes: labels and selectors'),
  },
  'Pod:metadata.labels.<key>': {
    text: 'A pod label. Services whose selector names this key with this value (and all their other pairs) send traffic to these pods.',
    ...L(LABELS, 'Kubernetes: labels and selectors'),
  },
  'Pod:spec.hostNetwork': {
    text:
      '`true`: the pod uses the node\'s network stack, so its ports are the node\'s ports. Left out: `false`, the pod gets its own IP. ' +
      'Suits node agents and network plugins; for apps it means port clashes between pods on a node, an address that follows scheduling, and access to all node traffic.',
    ...L(docsUrl('pod-host-exposure'), 'kube-expose: host exposure'),
    values: {
      true: 'The pod shares the node\'s network: every port it listens on is a port of the node. For node agents; one such pod per port per node.',
      false: 'The pod gets its own IP; reach it through a Service. The default.',
    },
  },
  'Pod:spec.containers[].ports': {
    text:
      'The ports this container listens on. Mostly documentation (a process can serve on any port without listing it), ' +
      'but names here are what a Service\'s `targetPort` and probes refer to, and a `hostPort` only works when declared here.',
    ...L(POD_API, 'Kubernetes: Pod API, container ports'),
  },
  'Pod:spec.containers[].ports[].containerPort': {
    text:
      'The port the process listens on inside the pod (1-65535). Declaring it opens or blocks nothing; it documents the port and lets Services refer to it by name. ' +
      'A Service\'s numeric `targetPort` must equal the number the process really listens on.',
    ...L(POD_API, 'Kubernetes: Pod API, container ports'),
  },
  'Pod:spec.containers[].ports[].name': {
    text:
      'Names the port so Services (`targetPort`) and probes can refer to it instead of the number; the number can then change in one place. ' +
      'Up to 15 lowercase letters, digits and `-`, with at least one letter, unique within the pod.',
    ...L(docsUrl('service-targetport-unnamed'), 'kube-expose: why name the target port'),
  },
  'Pod:spec.containers[].ports[].protocol': {
    text: 'The protocol of this port. Left out: `TCP`. A Service\'s named targetPort only matches a container port with the same protocol.',
    ...L(POD_API, 'Kubernetes: Pod API, container ports'),
    closed: true,
    values: PROTOCOL_VALUES,
  },
  'Pod:spec.containers[].ports[].hostPort': {
    text:
      'Also opens this port on the node that runs the pod, forwarding to the container (like `docker run -p`). Left out: nothing opens on the node. ' +
      'The price: one pod per node per hostPort (extra replicas stay Pending), an address that moves with the pod, and no load balancing. Prefer a NodePort or LoadBalancer Service.',
    ...L(docsUrl('pod-host-exposure'), 'kube-expose: host exposure'),
  },
  'Pod:spec.containers[].ports[].hostIP': {
    text:
      'Which node address the hostPort binds. Left out: every address (0.0.0.0), which clashes with any other pod using the same hostPort and protocol on that node. ' +
      'A specific IP lets pods share a port on different addresses.',
    ...L(docsUrl('pod-hostport-conflict'), 'kube-expose: host port conflicts'),
  },

  // -------------------------------------------------------------------------
  // Workloads' own fields
  'Workload:metadata.name': {
    text: 'The workload\'s name. Services do not use it: they select the pods by the template\'s labels.',
    ...L(LABELS, 'Kubernetes: labels and selectors'),
  },
  'Workload:spec.selector': {
    text:
      'Which pods belong to this workload; it must match the template\'s labels and cannot change after creation. ' +
      'Independent of Services, which bring their own selector.',
    ...L(LABELS, 'Kubernetes: labels and selectors'),
  },

  // -------------------------------------------------------------------------
  // Ingress
  'Ingress:spec.ingressClassName': {
    text:
      'Which ingress controller serves this Ingress: the name of an IngressClass. ' +
      'Left out: the class annotated `ingressclass.kubernetes.io/is-default-class: "true"`, if there is one; otherwise no controller may pick the Ingress up. ' +
      'Replaces the deprecated `kubernetes.io/ingress.class` annotation.',
    ...L(`${ING}#ingress-class`, 'Kubernetes: IngressClass'),
  },
  'Ingress:spec.rules': {
    text:
      'Host and path routing. Each rule matches a `host` (every host when left out) and lists HTTP paths with their backends. ' +
      'Requests no rule matches go to `defaultBackend`, or to the controller\'s own 404.',
    ...L(`${ING}#ingress-rules`, 'Kubernetes: Ingress rules'),
  },
  'Ingress:spec.rules[].host': {
    text:
      'The host this rule matches, from the HTTP Host header (and TLS SNI): an exact name, or a wildcard `*.example.com` covering exactly one label. ' +
      'Left out: every host. No IPs, ports or schemes.',
    ...L(`${ING}#hostname-wildcards`, 'Kubernetes: host names and wildcards'),
  },
  'Ingress:spec.rules[].http': {
    text: 'The HTTP routes of this rule: a list of `paths`.',
    ...L(`${ING}#ingress-rules`, 'Kubernetes: Ingress rules'),
  },
  'Ingress:spec.rules[].http.paths': {
    text:
      'The paths of this host, each with a `pathType` and a backend. The longest matching path wins; on a tie, `Exact` beats `Prefix`.',
    ...L(`${ING}#multiple-matches`, 'Kubernetes: multiple matches'),
  },
  'Ingress:spec.rules[].http.paths[].path': {
    text:
      'The URL path to match, starting with `/`. How it matches depends on `pathType`: with `Prefix`, `/api` matches `/api` and `/api/v1` but not `/apiv1`. ' +
      'Required for `Exact` and `Prefix`; only `ImplementationSpecific` may leave it out. Regexes only work with `ImplementationSpecific` and a controller that supports them.',
    ...L(`${ING}#path-types`, 'Kubernetes: path types'),
  },
  'Ingress:spec.rules[].http.paths[].pathType': {
    text:
      'How `path` matches: `Exact`, `Prefix` or `ImplementationSpecific`. Required in networking.k8s.io/v1; the API refuses a path without it. ' +
      '`Prefix` is the portable default choice.',
    ...L(`${ING}#path-types`, 'Kubernetes: path types'),
    closed: true,
    values: {
      Exact: 'Matches the URL path exactly, case-sensitive: `/foo` matches `/foo` only, not `/foo/` or `/foo/bar`.',
      Prefix:
        'Matches by `/`-separated path elements: `/foo` matches `/foo`, `/foo/` and `/foo/bar`, but not `/foobar`. The portable choice for most routes.',
      ImplementationSpecific:
        'Matching is up to the controller (ingress-nginx treats it as a prefix, or a regex with `use-regex`). Not portable between controllers.',
    },
  },
  'Ingress:spec.rules[].http.paths[].backend': {
    text:
      'Where matching requests go: a Service of this namespace (`service.name`) and one of its ports (`port.number` or `port.name`: the Service\'s port, not the container\'s). ' +
      'The controller sends traffic straight to the pods behind it.',
    ...L(`${ING}#the-ingress-resource`, 'Kubernetes: the Ingress resource'),
  },
  'Ingress:spec.defaultBackend': {
    text:
      'Receives requests that match no rule, for any host and path. Left out: the controller\'s own default, usually a 404 page. ' +
      'A catch-all; with no rules, it is the whole Ingress.',
    ...L(`${ING}#default-backend`, 'Kubernetes: default backend'),
  },
  'Ingress:spec.tls': {
    text:
      'Terminates HTTPS at the controller: the listed `hosts` are served with the certificate in `secretName` (a `kubernetes.io/tls` Secret in this namespace). ' +
      'Left out: plain HTTP only. Each TLS host should also appear in `rules`, or its certificate is never used.',
    ...L(`${ING}#tls`, 'Kubernetes: Ingress TLS'),
  },
  'Ingress:spec.tls[].hosts': {
    text: 'Host names the certificate covers; they must match the rules\' hosts (wildcards included) to be used. Left out: the controller\'s default host.',
    ...L(`${ING}#tls`, 'Kubernetes: Ingress TLS'),
  },
  'Ingress:spec.tls[].secretName': {
    text:
      'The Secret (type `kubernetes.io/tls`, in this namespace) holding `tls.crt` and `tls.key`. Left out: the controller uses its default certificate, if any. ' +
      'cert-manager can create and renew it from an annotation.',
    ...L(`${ING}#tls`, 'Kubernetes: Ingress TLS'),
  },
  'Ingress:metadata.annotations."kubernetes.io/ingress.class"': {
    text:
      'The old way to pick the ingress controller, deprecated since Kubernetes 1.18 in favour of `spec.ingressClassName`. ' +
      'Some controllers still read only the annotation; setting both to different values is refused.',
    ...L(docsUrl('ingress-class-annotation'), 'kube-expose: ingress-class-annotation'),
  },

  // -------------------------------------------------------------------------
  // IngressClass
  'IngressClass:spec.controller': {
    text:
      'Which controller implements this class, as a domain-prefixed name such as `k8s.io/ingress-nginx`. ' +
      'A controller only serves Ingresses whose class names it. Required; cannot change after creation.',
    ...L(`${ING}#ingress-class`, 'Kubernetes: IngressClass'),
  },
  'IngressClass:spec.parameters': {
    text: 'Optional controller-specific configuration: a reference to another object (kind, name, scope) the controller reads.',
    ...L(`${ING}#ingressclass-scope`, 'Kubernetes: IngressClass parameters'),
  },
  'IngressClass:metadata.annotations."ingressclass.kubernetes.io/is-default-class"': {
    text:
      '`"true"` makes this the class of every new Ingress that names none. ' +
      'Keep exactly one default: with none, class-less Ingresses may be ignored; with several, clusters up to 1.24 refuse such Ingresses and newer ones take the newest class.',
    ...L(`${ING}#default-ingress-class`, 'Kubernetes: default IngressClass'),
    values: {
      true: 'This class serves every Ingress without `ingressClassName`.',
      false: 'Not the default: Ingresses must name this class to use it.',
    },
  },

  // -------------------------------------------------------------------------
  // EndpointSlice / Endpoints
  'EndpointSlice:metadata.labels."kubernetes.io/service-name"': {
    text:
      'Ties this slice to the Service of that name in the namespace. For a Service without a selector, this label is how it finds these addresses; ' +
      'missing or misspelled, the Service has no backends.',
    ...L(`${SLICES}#ownership`, 'Kubernetes: EndpointSlice ownership'),
  },
  'EndpointSlice:addressType': {
    text: 'The kind of every address in this slice: `IPv4`, `IPv6` or `FQDN`. Required; cannot change.',
    ...L(`${SLICES}#address-types`, 'Kubernetes: EndpointSlice address types'),
    closed: true,
    values: {
      IPv4: 'Dotted IPv4 addresses, the usual choice.',
      IPv6: 'IPv6 addresses.',
      FQDN: 'Host names. kube-proxy ignores FQDN slices, so they do not carry Service traffic; prefer an ExternalName Service.',
    },
  },
  'EndpointSlice:endpoints': {
    text:
      'The backend addresses, each with `addresses` and optional `conditions.ready` (left out: ready). ' +
      'For a Service without a selector you write these yourself; for one with a selector the controller does.',
    ...L(SLICES, 'Kubernetes: EndpointSlices'),
  },
  'EndpointSlice:ports': {
    text:
      'The ports the endpoints serve. Each `name` must equal the Service port\'s name (empty for a single unnamed port), or that Service port gets no traffic from this slice.',
    ...L(SLICES, 'Kubernetes: EndpointSlices'),
  },
  'EndpointSlice:ports[].name': {
    text: 'Must equal the name of the Service port this serves (empty when the Service has one unnamed port).',
    ...L(SLICES, 'Kubernetes: EndpointSlices'),
  },
  'EndpointSlice:ports[].protocol': {
    text: 'The protocol of the port. Left out: `TCP`.',
    ...L(SLICES, 'Kubernetes: EndpointSlices'),
    closed: true,
    values: PROTOCOL_VALUES,
  },
  'Endpoints:metadata.name': {
    text:
      'Must equal the name of the Service it backs: that is the only link. Endpoints are deprecated since 1.33; an EndpointSlice with the `kubernetes.io/service-name` label is the replacement.',
    ...L(`${SVC}#services-without-selectors`, 'Kubernetes: Services without selectors'),
  },
  'Endpoints:subsets': {
    text: 'Groups of addresses sharing the same ports. For a Service without a selector you list its backends here.',
    ...L(`${SVC}#services-without-selectors`, 'Kubernetes: Services without selectors'),
  },
  'Endpoints:subsets[].ports[].name': {
    text: 'Must equal the name of the Service port this serves (empty when the Service has one unnamed port).',
    ...L(`${SVC}#services-without-selectors`, 'Kubernetes: Services without selectors'),
  },

  // -------------------------------------------------------------------------
  // HTTPRoute (Gateway API)
  'HTTPRoute:spec.rules[].backendRefs': {
    text: 'The Services that serve this route\'s requests, by `name` and Service `port` (not the container\'s), optionally weighted.',
    ...L(GATEWAY, 'Gateway API: HTTPRoute'),
  },
  'HTTPRoute:spec.parentRefs': {
    text:
      'The Gateways (and, with `sectionName` or `port`, the listeners) this route attaches to. A listener takes routes from its own ' +
      'namespace only unless its `allowedRoutes.namespaces.from` says `All` or `Selector`; the API server checks none of this.',
    ...L(docsUrl('route-not-attached'), 'kube-expose: route-not-attached'),
  },
  'HTTPRoute:spec.rules[].backendRefs[].name': {
    text:
      'Name of a Service in the route\'s namespace (or in `namespace`, which then needs a ReferenceGrant there). ' +
      'If it does not exist the ref does not resolve and its requests get HTTP 500.',
    ...L(docsUrl('route-backend-service-missing'), 'kube-expose: route-backend-service-missing'),
  },
  'HTTPRoute:spec.rules[].backendRefs[].port': {
    text:
      'A `port` of the Service, as a number: not its targetPort, container port or nodePort, and not a port name. ' +
      'Required for a Service; a number the Service does not list leaves the ref unresolved.',
    ...L(docsUrl('route-backend-port-missing'), 'kube-expose: route-backend-port-missing'),
  },
};

const BACKEND_FIELDS: Record<string, FieldDoc> = {
  service: {
    text: 'The Service that receives the requests: `name` and `port` (the Service\'s port, by `number` or `name`). Must be in the Ingress\'s namespace.',
    ...L(`${ING}#the-ingress-resource`, 'Kubernetes: the Ingress resource'),
  },
  'service.name': {
    text:
      'Name of a Service in the Ingress\'s own namespace (Ingresses cannot reach across namespaces). ' +
      'If it does not exist, the controller answers 503 or 404 for this path.',
    ...L(docsUrl('ingress-backend-service-missing'), 'kube-expose: ingress-backend-service-missing'),
  },
  'service.port': {
    text: 'Which port of the Service: `number` (its `port`) or `name` (its port\'s `name`), exactly one of them.',
    ...L(docsUrl('ingress-backend-port-missing'), 'kube-expose: ingress-backend-port-missing'),
  },
  'service.port.number': {
    text:
      'A `port` of the Service, the number it listens on: not its targetPort, container port or nodePort. ' +
      'A number the Service does not list leaves the path without a backend.',
    ...L(docsUrl('ingress-backend-port-missing'), 'kube-expose: ingress-backend-port-missing'),
  },
  'service.port.name': {
    text:
      'The `name` of one of the Service\'s ports. Survives a change of the port number; the Service port name must be a valid IANA name (at most 15 characters).',
    ...L(docsUrl('ingress-backend-port-missing'), 'kube-expose: ingress-backend-port-missing'),
  },
};
for (const [suffix, doc] of Object.entries(BACKEND_FIELDS)) {
  FIELDS[`Ingress:spec.rules[].http.paths[].backend.${suffix}`] = doc;
  FIELDS[`Ingress:spec.defaultBackend.${suffix}`] = doc;
}

/** Explanation of a kind, on hover over the `kind` value. */
export const KINDS: Record<string, FieldDoc> = {
  Service: {
    text:
      'A stable name and virtual IP in front of the pods its selector matches; kube-proxy spreads connections over them. ' +
      '`type` decides how far it reaches: inside the cluster (ClusterIP), every node (NodePort), or a cloud load balancer (LoadBalancer).',
    ...L(SVC, 'Kubernetes: Service'),
  },
  Ingress: {
    text:
      'An HTTP(S) router in front of Services: many hosts and paths share one entry point and one IP, and TLS terminates there. ' +
      'Does nothing without an ingress controller, chosen by `ingressClassName`.',
    ...L(ING, 'Kubernetes: Ingress'),
  },
  IngressClass: {
    text: 'Names an ingress controller (`spec.controller`); Ingresses pick it with `ingressClassName`. One class may be marked as the default.',
    ...L(`${ING}#ingress-class`, 'Kubernetes: IngressClass'),
  },
  EndpointSlice: {
    text:
      'A list of backend addresses and ports for a Service (named in its `kubernetes.io/service-name` label). ' +
      'Controllers write them for Services with a selector; you write them for a Service without one, to reach backends outside the cluster.',
    ...L(SLICES, 'Kubernetes: EndpointSlices'),
  },
  Endpoints: {
    text:
      'The older form of EndpointSlice: backend addresses for the Service with the same name. Deprecated since 1.33; write an EndpointSlice instead.',
    ...L(`${SVC}#services-without-selectors`, 'Kubernetes: Services without selectors'),
  },
  HTTPRoute: {
    text: 'A Gateway API route: HTTP matches attached to a Gateway (`parentRefs`) and sent to Services (`backendRefs`). The successor to Ingress.',
    ...L(GATEWAY, 'Gateway API: HTTPRoute'),
  },
};

// ---------------------------------------------------------------------------
// Paths -> keys

export interface FieldKey {
  family: string;
  /** normalized path relative to the family's root */
  path: Path;
  pattern: string;
}

/** Family and family-relative path of a resource path (pod templates become `Pod`). */
export function familyOf(kind: string, path: Path): { family: string; path: Path } {
  if (kind === 'Pod') return { family: 'Pod', path };
  const tpl = WORKLOAD_TEMPLATE_PATHS[kind];
  if (tpl) {
    if (path.length >= tpl.length && tpl.every((s, i) => path[i] === s)) return { family: 'Pod', path: path.slice(tpl.length) };
    return { family: 'Workload', path };
  }
  return { family: kind, path };
}

function segText(seg: string): string {
  return /[./"]/.test(seg) ? JSON.stringify(seg) : seg;
}

/** `spec.ports[].targetPort`; init containers count as containers. */
export function patternOf(path: Path): string {
  let out = '';
  path.forEach((seg, i) => {
    if (typeof seg === 'number') out += '[]';
    else {
      const s = i === 0 || path[i - 1] !== 'spec' || seg !== 'initContainers' ? seg : 'containers';
      out += (out ? '.' : '') + segText(s);
    }
  });
  return out;
}

/** The documentation entry for a path under a resource of a kind, with its key. */
export function fieldDoc(kind: string, path: Path): { doc?: FieldDoc; family: string; fpath: Path; pattern: string } {
  const { family, path: fpath } = familyOf(kind, path);
  const pattern = patternOf(fpath);
  let doc = FIELDS[`${family}:${pattern}`];
  if (!doc && fpath.length && typeof fpath[fpath.length - 1] === 'string') {
    doc = FIELDS[`${family}:${patternOf(fpath.slice(0, -1))}${fpath.length > 1 ? '.' : ''}<key>`];
  }
  if (!doc && fpath.length && typeof fpath[fpath.length - 1] === 'number') doc = FIELDS[`${family}:${patternOf(fpath.slice(0, -1))}`];
  if (!doc && (family === 'Workload' || family === 'Pod') && pattern === 'metadata.name') doc = FIELDS['Workload:metadata.name'];
  return { doc, family, fpath, pattern };
}

/** Known child keys of a map pattern (for key completion). */
export function childKeys(family: string, mapPattern: string): { key: string; doc: FieldDoc }[] {
  const prefix = `${family}:${mapPattern ? `${mapPattern}.` : ''}`;
  const out: { key: string; doc: FieldDoc }[] = [];
  for (const [k, doc] of Object.entries(FIELDS)) {
    if (!k.startsWith(prefix)) continue;
    const rest = k.slice(prefix.length);
    if (rest.startsWith('<') || rest.startsWith('"')) continue;
    const m = /^([A-Za-z0-9_-]+)(\[\])?$/.exec(rest);
    if (m) out.push({ key: m[1], doc });
  }
  return out;
}
