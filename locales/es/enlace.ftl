# Enlace — mensajes en español (idioma predeterminado).
# Las mismas claves existen en locales/en/enlace.ftl; una prueba lo verifica.

## Clasificación
classification-trafficking = Trata de personas
classification-smuggling = Tráfico ilícito de migrantes
classification-both = Trata y tráfico ilícito
classification-under_assessment = En evaluación

## Estado del caso
status-reported = Denunciado
status-under_investigation = En investigación
status-prosecution = En acusación fiscal
status-trial = En juicio
status-convicted = Condena
status-acquitted = Absolución
status-closed = Cerrado
status-referred = Remitido

## Protocolo, art. 3: actos
act-recruitment = Captación
act-transportation = Transporte
act-transfer = Traslado
act-harbouring = Acogida
act-receipt = Recepción

## Protocolo, art. 3: medios
means-threat = Amenaza
means-force = Uso de la fuerza
means-coercion = Coacción
means-abduction = Rapto
means-fraud = Fraude
means-deception = Engaño
means-abuse_of_power = Abuso de poder
means-abuse_of_vulnerability = Abuso de una situación de vulnerabilidad
means-payments = Pagos o beneficios a quien tiene autoridad sobre la víctima

## Protocolo, art. 3: fines de explotación
purpose-sexual_exploitation = Explotación de la prostitución ajena u otras formas de explotación sexual
purpose-forced_labour = Trabajos o servicios forzados
purpose-slavery = Esclavitud o prácticas análogas
purpose-servitude = Servidumbre
purpose-organ_removal = Extracción de órganos
purpose-other = Otra forma de explotación

## Ruta
route-role-origin = Origen
route-role-transit = Tránsito
route-role-destination = Destino
route-role-exploitation = Explotación

## Personas
person-role-victim = Víctima
person-role-suspect = Persona investigada
person-role-witness = Testigo
person-role-other = Otra
gender-female = Mujer
gender-male = Hombre
gender-trans_non_conforming = Trans / no conforme
gender-unknown = No consta
age-0-8 = 0–8 años
age-9-17 = 9–17 años
age-18-20 = 18–20 años
age-21-23 = 21–23 años
age-24-26 = 24–26 años
age-27-29 = 27–29 años
age-30-38 = 30–38 años
age-39-47 = 39–47 años
age-48plus = 48 años o más

## Indicadores (rastros)
indicator-advertising = Publicidad
indicator-rental = Alquiler
indicator-transportation = Transporte
indicator-communication = Comunicaciones
indicator-financial = Transacciones financieras
indicator-other = Otro

## Escala del Almirantazgo
reliability-A = A — Completamente confiable
reliability-B = B — Normalmente confiable
reliability-C = C — Bastante confiable
reliability-D = D — Normalmente no confiable
reliability-E = E — No confiable
reliability-F = F — No se puede juzgar
credibility-1 = 1 — Confirmada por otras fuentes
credibility-2 = 2 — Probablemente cierta
credibility-3 = 3 — Posiblemente cierta
credibility-4 = 4 — Dudosa
credibility-5 = 5 — Improbable
credibility-6 = 6 — No se puede juzgar
handling-H0 = H0 — Sin restricciones
handling-H1 = H1 — No usar en juicio sin permiso
handling-H2 = H2 — No transmitir sin permiso
handling-H3 = H3 — Otra restricción indicada

## Vínculos y solicitudes
link-same_network = Misma red
link-same_victim = Misma víctima
link-same_suspect = Misma persona investigada
link-duplicate = Duplicado
request-kind-mutual_legal_assistance = Asistencia judicial recíproca (comisión rogatoria)
request-kind-extradition = Extradición
request-status-draft = Borrador
request-status-sent = Enviada
request-status-received = Recibida
request-status-in_progress = En trámite
request-status-answered = Respondida
request-status-refused = Denegada
request-status-withdrawn = Retirada
operation-status-planned = Planificada
operation-status-active = En curso
operation-status-concluded = Concluida
operation-status-cancelled = Cancelada

## Audiencia
audience-national = Nacional
audience-bilateral = Bilateral
audience-regional = Regional

## Campos de estándares (CTDC / HTCDS)
control-debt_bondage = Servidumbre por deudas
control-takes_earnings = Se queda con sus ingresos
control-restricts_financial_access = Restringe el acceso a su dinero
control-threats = Amenazas
control-psychological_abuse = Abuso psicológico
control-physical_abuse = Abuso físico
control-sexual_abuse = Abuso sexual
control-false_promises = Falsas promesas
control-psychoactive_substances = Sustancias psicoactivas
control-restricts_movement = Restringe su movimiento
control-restricts_medical_care = Restringe la atención médica
control-excessive_working_hours = Jornadas excesivas
control-uses_children = Utiliza a los hijos
control-threat_of_law_enforcement = Amenaza con las autoridades
control-withholds_necessities = Le priva de lo necesario
control-withholds_documents = Retiene sus documentos
control-other = Otro
labour-agriculture = Agricultura
labour-aquafarming = Acuicultura y pesca
labour-begging = Mendicidad
labour-construction = Construcción
labour-domestic_work = Trabajo doméstico
labour-hospitality = Hostelería
labour-illicit_activities = Actividades ilícitas
labour-manufacturing = Manufactura
labour-mining_or_drilling = Minería o perforación
labour-peddling = Venta ambulante
labour-transportation = Transporte
labour-other = Otro
recruiter-intimate_partner = Pareja
recruiter-friend = Amistad o conocido
recruiter-family = Familiar
recruiter-other = Otra relación
recruiter-unknown = Desconocida
datasource-case_management = Gestión de casos
datasource-hotline = Línea de denuncia
datasource-investigation = Investigación
datasource-other = Otra
id-document-passport = Pasaporte
id-document-national_id = Documento nacional de identidad
id-document-birth_certificate = Partida de nacimiento
id-document-residence_permit = Permiso de residencia
id-document-other = Otro

## Países
country-MX = México
country-GT = Guatemala
country-HN = Honduras
country-SV = El Salvador
country-NI = Nicaragua
country-CR = Costa Rica
country-PA = Panamá
country-CA = Canadá
country-US = Estados Unidos
country-BZ = Belice
country-CO = Colombia
country-VE = Venezuela
country-EC = Ecuador
country-CU = Cuba
country-HT = Haití
country-DO = República Dominicana
country-PE = Perú
country-ES = España

## Validación
val-title-required = { $path }: el título es obligatorio.
val-too-long = { $path }: el texto tiene { $length } caracteres; el máximo es { $max }. Acórtelo o adjúntelo como nota.
val-date-future = { $path }: la fecha { $date } está en el futuro. Revise el día y el mes (formato AAAA-MM-DD).
val-owner-country = { $path }: { $country } no es un país participante ni observador.
val-means-required-adult = { $path }: un caso de trata con víctima adulta requiere al menos un medio (art. 3 del Protocolo). Indique el medio, o marque que hay una persona menor de 18 años.
val-acts-missing = { $path }: no se ha indicado ningún acto (captación, transporte, traslado, acogida o recepción).
val-purposes-missing = { $path }: no se ha indicado ningún fin de explotación.
val-dates-reversed = { $path }: la fecha final ({ $to }) es anterior a la inicial ({ $from }).
val-route-order = { $path }: la parada { $stop } empieza antes que la parada { $previous }; ordene la ruta por fecha.
val-pseudonym-required = { $path }: cada persona necesita un seudónimo (p. ej. V1).
val-minor-inconsistent = { $path }: la franja de edad es de menor de edad pero se indicó que no era menor al ser explotada.
val-text-required = { $path }: este texto es obligatorio.
val-handling-note-required = { $path }: el código H3 exige describir la restricción.
val-link-reference = { $path }: «{ $reference }» no es una referencia de caso (formato GT-2026-0042).
val-link-self = { $path }: un caso no puede vincularse consigo mismo.
val-request-same-country = { $path }: el país requirente y el requerido deben ser distintos.
val-operation-countries = { $path }: una operación conjunta necesita al menos dos países.
val-bilateral-countries = { $path }: una audiencia bilateral debe nombrar al menos otro país.
val-legal-unknown-item = { $path }: «{ $item }» no es un punto del catálogo (TIP-01 … SOM-45).
val-legal-year = { $path }: el año { $year } no es válido; indique un año entre 1800 y { $max }.
val-legal-case-reference = { $path }: «{ $value }» no es una referencia de caso de Enlace (formato GT-2026-0042).
val-legal-no-provision = { $path }: un punto que se cumple (total o parcialmente) debería citar la disposición nacional (ley, artículo, año).
val-legal-no-gap = { $path }: describa la brecha: qué le falta a la ley frente a la obligación.
severity-error = Error
severity-warning = Aviso

## Errores
err-not-found = No se encontró { $what }. Compruebe el identificador o la referencia con «enlace case list».
err-wrong-passphrase = La frase de acceso no es correcta. Vuelva a intentarlo; no se modificó ningún archivo.
err-not-initialised = No hay base de datos en { $dir }. Créela con «enlace init --country GT --node-name "…"» o indique otra carpeta con --data-dir.
err-already-initialised = Ya existe una base de datos en { $dir }. No se modificó nada; use otra carpeta con --data-dir si quiere crear otra.
err-input-field = Dato no válido en «{ $path }»: { $detail }
err-input-document = El documento JSON no es válido: { $detail }
err-invalid = No se guardó porque hay errores:
err-patch-immutable = El campo «{ $field }» no se puede modificar.
err-patch-history = El historial «{ $field }» se lleva solo: cambie «classification» o «status» y el historial se actualiza.
err-patch-notes = Las notas solo se pueden añadir: use «enlace case note».
err-storage = No se pudo leer o escribir la base de datos: { $detail }. Compruebe que hay espacio en disco y permisos en la carpeta de datos; no se guardó ningún cambio parcial.
err-io = No se pudo acceder a { $path }: { $detail }
err-corrupt = La base de datos o un documento está dañado: { $detail }. Restaure una copia de seguridad o sincronice de nuevo desde otro nodo.
err-country = «{ $country }» no es un país participante ni observador ({ $allowed }).
err-passphrase-short = La frase de acceso debe tener al menos { $min } caracteres.
err-passphrase-needed = Hace falta la frase de acceso: defina ENLACE_PASSPHRASE o ejecute el comando en una terminal para que se la pida.
err-passphrase-mismatch = Las dos frases de acceso no coinciden.
err-locked = La base de datos está bloqueada. Introduzca la frase de acceso.
err-internal = Error interno: { $detail }. Informe al equipo de Enlace.
err-no-home = No se encontró la carpeta personal: indique la carpeta de datos con --data-dir DIR.
err-node-name = El nombre del nodo no puede estar vacío.
err-not-owner = Solo los nodos de { $country } pueden modificar este documento: pertenece a ese país. Puede consultarlo y comentarlo con su equipo nacional.
err-unknown-item = «{ $item }» no es un punto del catálogo legal. Los puntos van de TIP-01 a SOM-45 (vea «enlace legal show»).
err-no-assessment = Este nodo no tiene la evaluación legal de { $country }: aún no se ha creado en ese país o no se ha sincronizado.
err-report = No se pudo generar el informe: { $detail }

## Línea de comandos
cli-initialised = Base de datos creada en { $dir }.
cli-node = Nodo
cli-node-id = Identificador del nodo
cli-country = País
cli-public-key = Clave pública
cli-created = Caso creado: { $reference } ({ $id })
cli-updated = Caso actualizado: { $reference }
cli-noted = Nota añadida a { $reference }
cli-unchanged = Sin cambios: { $reference }
cli-no-cases = No hay casos que coincidan.
cli-cases-count = { $shown } de { $total } casos
cli-demo-loading = Cargando datos de demostración
cli-demo-loaded = Datos de demostración cargados: { $cases } casos, { $persons } personas y { $assessments } evaluaciones legales.
cli-demo-already = Ya hay datos de demostración; no se añadió nada.
cli-exporting = Exportando casos
cli-reindexing = Reconstruyendo índices
cli-reindexed = Índices reconstruidos: { $documents } documentos.
cli-exported = Exportados { $cases } casos a { $path }. Los documentos de personas (datos identificativos) no se exportan.
cli-warnings = Avisos:
cli-passphrase-prompt = Frase de acceso:
cli-passphrase-repeat = Repita la frase de acceso:
cli-history-empty = Sin historial.
cli-report-written = Informe escrito en { $path } ({ $kb } KB).
cli-legal-exported = Exportadas { $rows } filas (país y punto) a { $path }.
cli-legal-saved = Guardado { $item } de la evaluación de { $country }.
cli-legal-unchanged = Sin cambios en { $item } ({ $country }).
ui-conflict = valores concurrentes

## Encabezados y campos
field-reference = Referencia
field-title = Título
field-summary = Resumen
field-classification = Clasificación
field-status = Estado
field-opened = Apertura
field-acts = Actos
field-means = Medios
field-purposes = Fines
field-child = Hay una persona menor de 18 años
field-route = Ruta
field-persons = Personas
field-indicators = Indicadores (rastros)
field-information = Información (inteligencia)
field-links = Casos vinculados
field-requests = Solicitudes entre Estados
field-operations = Operaciones conjuntas
field-notes = Notas
field-owner = Propietario
field-audience = Audiencia
field-countries = Países
field-updated = Actualizado
field-when = Fecha
field-who = Quién
field-what = Qué cambió
field-demo = Datos de demostración
yes = Sí
no = No

## Interfaz
ui-app-title = Enlace — Base de Datos Regional
ui-app-subtitle = Grupos de Tarea Nacionales contra la trata de personas
ui-language = Idioma
ui-setup-title = Crear la base de datos de este equipo
ui-setup-intro = Los datos se guardan cifrados en este equipo. Elija el país y un nombre para este nodo, y una frase de acceso que recordará: sin ella nadie, ni usted, puede abrir los datos.
ui-setup-country = País
ui-setup-node-name = Nombre del nodo
ui-setup-node-name-hint = p. ej. Paso Tecún Umán
ui-setup-passphrase = Frase de acceso
ui-setup-passphrase-repeat = Repita la frase de acceso
ui-setup-demo = Cargar datos de demostración (casos ficticios)
ui-setup-create = Crear base de datos
ui-setup-creating = Creando…
ui-unlock-title = Desbloquear
ui-unlock-intro = Introduzca la frase de acceso de este equipo.
ui-unlock-button = Desbloquear
ui-unlocking = Comprobando…
ui-search = Buscar
ui-search-placeholder = Buscar por referencia, título, lugar, nombre…
ui-filter-all = Todos
ui-filter-status = Estado
ui-filter-classification = Clasificación
ui-filter-country = País en la ruta
ui-filter-clear = Quitar filtros
ui-cases-count = { $shown } de { $total } casos
ui-no-results = Ningún caso coincide con la búsqueda.
ui-select-case = Seleccione un caso de la lista para verlo.
ui-loading = Cargando…
ui-demo-progress = Cargando datos de demostración: { $done } de { $total }
ui-national-only = Solo nacional: estos datos identificativos no salen de { $country }.
ui-identity = Datos identificativos
ui-history = Historial
ui-history-fields = Campos: { $fields }
ui-no-route = Sin ruta registrada.
ui-none = Ninguno
ui-issues = Observaciones
ui-node-label = Nodo { $name } ({ $country })
ui-saved-local = Guardado en este equipo
ui-error-title = Algo salió mal
ui-close = Cerrar
ui-read-only = Vista de solo lectura
ui-lock = Bloquear

## Evaluación legal: instrumentos, obligación, estado
instrument-trafficking_protocol = Protocolo para prevenir, reprimir y sancionar la trata de personas
instrument-model_law = Ley Modelo contra la trata de personas (UNODC, 2009)
instrument-smuggling_protocol = Protocolo contra el tráfico ilícito de migrantes por tierra, mar y aire
obligation-mandatory = Obligatoria
obligation-optional = Facultativa o buena práctica
obligation-mixed = Obligatoria en parte
assessment-compliant = Cumple
assessment-partially_compliant = Cumple parcialmente
assessment-not_compliant = No cumple
assessment-not_assessed = Sin evaluar
evidence-court_decision = Resolución judicial
evidence-enlace_case = Caso en Enlace
evidence-report = Informe
evidence-other = Otra

## Catálogo de obligaciones (versión 1). Resumen propio, no texto de los tratados.
legal-TIP-01 = El delito abarca todos los actos: captación, transporte, traslado, acogida y recepción de personas.
legal-TIP-02 = El delito abarca todos los medios: amenaza o uso de la fuerza, coacción, rapto, fraude, engaño, abuso de poder, abuso de una situación de vulnerabilidad, y la concesión o recepción de pagos o beneficios para obtener el consentimiento de una persona que tenga autoridad sobre la víctima.
legal-TIP-03 = La explotación incluye como mínimo la explotación de la prostitución ajena u otras formas de explotación sexual, los trabajos o servicios forzados, la esclavitud o prácticas análogas, la servidumbre y la extracción de órganos.
legal-TIP-04 = El consentimiento de la víctima no se tiene en cuenta cuando se ha recurrido a cualquiera de los medios.
legal-TIP-05 = Cuando la víctima es menor de 18 años no es necesario probar ninguno de los medios.
legal-TIP-06 = El delito se tipifica en el derecho interno sin exigir carácter transnacional ni la participación de un grupo delictivo organizado.
legal-TIP-07 = La tentativa de cometer el delito está penalizada.
legal-TIP-08 = La participación como cómplice en el delito está penalizada.
legal-TIP-09 = La organización o dirección de otras personas para cometer el delito está penalizada.
legal-TIP-10 = Las personas jurídicas pueden ser declaradas responsables.
legal-TIP-11 = Las penas son proporcionales a la gravedad del delito y prevén agravantes: víctima menor de edad, autor funcionario público, participación de un grupo delictivo organizado.
legal-TIP-12 = Se prevé el decomiso del producto del delito y el uso de los bienes decomisados en beneficio de las víctimas.
legal-TIP-13 = Se protegen la privacidad y la identidad de las víctimas, incluida la confidencialidad de las actuaciones judiciales.
legal-TIP-14 = Las víctimas reciben información sobre los procedimientos y pueden presentar sus opiniones y preocupaciones.
legal-TIP-15 = Se prevén medidas para la recuperación de las víctimas: alojamiento, asesoramiento en un idioma que comprendan, asistencia médica, empleo, educación y capacitación.
legal-TIP-16 = Se tienen en cuenta la edad, el género y las necesidades especiales de las víctimas, en particular de niñas, niños y adolescentes.
legal-TIP-17 = El Estado procura garantizar la seguridad física de las víctimas.
legal-TIP-18 = Las víctimas tienen la posibilidad de obtener una indemnización por los daños sufridos.
legal-TIP-19 = Las víctimas pueden permanecer en el territorio del Estado, temporal o permanentemente.
legal-TIP-20 = Se acepta sin demora indebida la repatriación de nacionales y residentes; se verifica la nacionalidad y se expiden los documentos de viaje necesarios.
legal-TIP-21 = La repatriación tiene en cuenta la seguridad de la persona y el estado de los procedimientos judiciales, y preferentemente es voluntaria.
legal-TIP-22 = Existe una política o programa integral para prevenir y combatir la trata de personas, por ejemplo un plan nacional de acción.
legal-TIP-23 = Se realizan investigaciones, campañas de información y difusión en los medios, en cooperación con organizaciones no gubernamentales.
legal-TIP-24 = Se adoptan medidas para reducir la vulnerabilidad (pobreza, subdesarrollo, falta de oportunidades) y desalentar la demanda que propicia la explotación.
legal-TIP-25 = Las autoridades policiales y de migración intercambian información sobre documentos de viaje, rutas y métodos utilizados por los tratantes.
legal-TIP-26 = La capacitación de funcionarios tiene un enfoque de derechos humanos, atiende a las cuestiones de género y de niñez, y cuenta con la participación de organizaciones no gubernamentales.
legal-TIP-27 = El Estado que recibe información respeta las restricciones de uso impuestas por el Estado que la transmite.
legal-TIP-28 = Se refuerzan los controles fronterizos y existen canales directos de comunicación entre los organismos de control fronterizo.
legal-TIP-29 = Los transportistas comerciales comprueban que los pasajeros porten los documentos de viaje exigidos, con sanciones en caso de incumplimiento.
legal-TIP-30 = Se puede denegar la entrada o revocar el visado a personas implicadas en la comisión del delito.
legal-TIP-31 = Los documentos de viaje y de identidad son seguros y difíciles de falsificar; su validez se verifica a solicitud de otro Estado.
legal-TIP-32 = Se preservan el derecho internacional de los refugiados y el principio de no devolución; las medidas se aplican sin discriminación.
legal-ML-33 = Las víctimas no son sancionadas por los delitos que se vieron obligadas a cometer como consecuencia directa de la trata.
legal-ML-34 = La divulgación no autorizada de la identidad de una víctima o de un testigo constituye delito.
legal-ML-35 = Utilizar a sabiendas los servicios de una víctima de trata constituye delito.
legal-ML-36 = La asistencia a la víctima no depende de su cooperación con las autoridades, y existe un período de recuperación y reflexión.
legal-ML-37 = Se presume la minoría de edad cuando la edad es incierta, y se designa un tutor para niñas, niños y adolescentes no acompañados.
legal-ML-38 = Existe un órgano nacional de coordinación o un relator nacional sobre la trata de personas.
legal-SOM-39 = El tráfico ilícito de migrantes con el fin de obtener un beneficio financiero u otro beneficio de orden material está tipificado como delito.
legal-SOM-40 = La creación, obtención o posesión de documentos de viaje o de identidad falsos, y la habilitación de una persona para permanecer ilegalmente en el Estado, están tipificadas como delito.
legal-SOM-41 = La tentativa, la participación como cómplice y la organización o dirección de otras personas para cometer estos delitos están penalizadas.
legal-SOM-42 = Son circunstancias agravantes poner en peligro la vida o la seguridad de los migrantes y darles un trato inhumano o degradante, incluida su explotación.
legal-SOM-43 = Los migrantes no están sujetos a enjuiciamiento penal por el hecho de haber sido objeto de tráfico ilícito.
legal-SOM-44 = Se protegen los derechos de los migrantes: protección contra la violencia, atención a necesidades especiales y notificación consular.
legal-SOM-45 = Se intercambia información respetando las restricciones de uso, y se acepta la repatriación de nacionales y residentes.

## Informes (PDF)
report-page = Página { $n } de { $total }
report-produced = Generado el { $date } por el nodo { $node }
report-demo = DATOS DE DEMOSTRACIÓN: no describen la legislación real de ningún país.
report-legend = Leyenda:
report-letter-compliant = C
report-letter-partially_compliant = P
report-letter-not_compliant = N
report-letter-not_assessed = –
report-col-item = Punto
report-col-article = Artículo
report-col-obligation-type = Carácter
report-col-obligation = Obligación
report-col-status = Estado
report-col-provision = Disposición nacional
report-col-gap = Brecha
report-col-proposal = Propuesta de reforma
report-legal-title = Matriz regional de armonización legislativa
report-legal-intro = Legislación de cada país frente al Protocolo contra la trata de personas (TIP), la Ley Modelo de la UNODC (ML) y el Protocolo contra el tráfico ilícito de migrantes (SOM), punto por punto. Cada casilla lleva una letra además del color, para leerse también impresa en blanco y negro.
report-legal-assessed = Evaluados
report-legal-none = sin evaluación
report-legal-legend-ids = Los identificadores en negrita son obligaciones (total o parcialmente) obligatorias; los demás son opcionales o buenas prácticas. El texto de cada obligación figura en el catálogo que sigue.
report-legal-catalogue = Catálogo de obligaciones
report-legal-gaps = Brechas y propuestas de reforma — { $country }
report-legal-tally = Cumple: { $compliant } · Cumple parcialmente: { $partial } · No cumple: { $not } · Sin evaluar: { $unassessed } · Catálogo versión { $version }
report-legal-no-assessment = Este nodo no tiene la evaluación de este país (aún no se ha creado o no se ha sincronizado).
report-legal-no-gaps = No hay puntos evaluados como «no cumple» o «cumple parcialmente».

## File names
file-legal-matrix = matriz-legal
